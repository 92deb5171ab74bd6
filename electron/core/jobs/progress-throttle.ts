export interface ProgressUpdate {
  stage: string;
  fraction: number;
}

/**
 * Passes at most one update per `intervalMs`: the first at once, later ones coalesced so the
 * latest value goes out when the interval ends. The UI never falls behind a chatty job.
 */
export class ProgressThrottle {
  private last = -Infinity;
  private pending: ProgressUpdate | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly emit: (u: ProgressUpdate) => void,
    private readonly intervalMs = 100,
    private readonly clock: () => number = () => performance.now(),
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = (fn, ms) => setTimeout(fn, ms),
    private readonly unschedule: (t: ReturnType<typeof setTimeout>) => void = (t) => clearTimeout(t),
  ) {}

  push(u: ProgressUpdate): void {
    const now = this.clock();
    if (this.timer === null && now - this.last >= this.intervalMs) {
      this.last = now;
      this.emit(u);
      return;
    }
    this.pending = u;
    if (this.timer === null) this.arm(now);
  }

  private arm(now: number): void {
    this.timer = this.schedule(() => {
      this.timer = null;
      const t = this.clock();
      // Timers may fire a little early by this clock; never let two events come closer than the interval.
      if (t - this.last < this.intervalMs) return this.arm(t);
      const p = this.pending;
      this.pending = null;
      if (p) {
        this.last = t;
        this.emit(p);
      }
    }, Math.max(1, Math.ceil(this.intervalMs - (now - this.last))));
  }

  /** Drops anything pending (the job ended; its final event supersedes progress). */
  stop(): void {
    if (this.timer !== null) this.unschedule(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
