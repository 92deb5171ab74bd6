// Generated music played beside the video through Web Audio. Every generation's audio is
// decoded once and kept, so switching A/B while playing starts the other track at once, from
// the video's time, with no media-element load or seek in between. Sources are scheduled on
// the audio clock, which is also how the picture/music offset is measured (see `offsetAt`).

/** Where the music is heard relative to the picture, and whether it should be re-aligned. */
export interface SyncSample {
  /** Music time heard when the frame is shown minus that frame's media time, in ms (+ = music ahead). */
  offsetMs: number;
}

interface Running {
  source: AudioBufferSourceNode;
  /** Context time the source started at, and the music time it started from. */
  ctxStart: number;
  mediaStart: number;
  rate: number;
}

const MAX_CACHED = 8;

export class AuditionPlayer {
  private ctx: AudioContext | null = null;
  private gain: GainNode | null = null;
  private readonly buffers = new Map<string, Promise<AudioBuffer>>();
  private readonly ready = new Map<string, AudioBuffer>();
  private running: Running | null = null;
  private volume = 1;
  active: string | null = null;

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: 'interactive' });
      this.gain = this.ctx.createGain();
      this.gain.gain.value = this.volume;
      this.gain.connect(this.ctx.destination);
    }
    return this.ctx;
  }

  /** Fetches and decodes a generation's music once; later calls share the result. */
  load(id: string, mediaUrl: string): Promise<AudioBuffer> {
    let p = this.buffers.get(id);
    if (!p) {
      p = (async () => {
        const res = await fetch(mediaUrl);
        if (!res.ok) throw new Error(`Could not load the generated audio (HTTP ${res.status}).`);
        const buf = await this.context().decodeAudioData(await res.arrayBuffer());
        this.ready.set(id, buf);
        return buf;
      })();
      p.catch(() => this.buffers.delete(id));
      this.buffers.set(id, p);
      // Oldest first out, never the one playing.
      for (const key of this.buffers.keys()) {
        if (this.buffers.size <= MAX_CACHED) break;
        if (key !== this.active) {
          this.buffers.delete(key);
          this.ready.delete(key);
        }
      }
    }
    return p;
  }

  isDecoded(id: string): boolean {
    return this.ready.has(id);
  }

  setVolume(v: number): void {
    this.volume = v;
    if (this.gain) this.gain.gain.value = v;
  }

  get playing(): boolean {
    return this.running !== null;
  }

  /** Seconds from scheduling a sound to hearing it. */
  private latency(): number {
    const c = this.ctx;
    return c ? (c.baseLatency || 0) + (c.outputLatency || 0) : 0;
  }

  /**
   * Starts the active track at the video's time `mediaSec` (forward rates only). The sound
   * scheduled now is heard `latency` later, when the picture has moved on by latency × rate.
   */
  play(mediaSec: number, rate: number): void {
    this.stop();
    const buf = this.active ? this.ready.get(this.active) : undefined;
    if (!buf || !(rate > 0)) return;
    const ctx = this.context();
    if (ctx.state === 'suspended') void ctx.resume();
    const from = mediaSec + this.latency() * rate;
    if (from >= buf.duration) return;
    const source = ctx.createBufferSource();
    source.buffer = buf;
    source.playbackRate.value = rate;
    source.connect(this.gain!);
    const ctxStart = ctx.currentTime;
    source.start(ctxStart, Math.max(0, from));
    const run: Running = { source, ctxStart, mediaStart: from, rate };
    source.onended = () => {
      if (this.running === run) this.running = null;
    };
    this.running = run;
  }

  stop(): void {
    const r = this.running;
    this.running = null;
    if (r) {
      r.source.onended = null;
      try {
        r.source.stop();
      } catch {
        /* never started */
      }
      r.source.disconnect();
    }
  }

  /** Switches tracks; while playing, the new one continues from the video's time at once. */
  switchTo(id: string | null, mediaSec: number, rate: number | null): void {
    this.active = id;
    if (rate !== null) this.play(mediaSec, rate);
    else this.stop();
  }

  /** The music time being heard at a `performance.now()` time, or null when silent. */
  heardAt(perfMs: number): number | null {
    const r = this.running;
    const c = this.ctx;
    if (!r || !c) return null;
    const ts = c.getOutputTimestamp();
    const ctxNow = ts.contextTime !== undefined && ts.performanceTime !== undefined && ts.performanceTime > 0
      ? ts.contextTime + (perfMs - ts.performanceTime) / 1000
      : c.currentTime - this.latency();
    return r.mediaStart + (ctxNow - r.ctxStart) * r.rate;
  }

  /**
   * Offset of the music against a frame the compositor shows at `displayPerfMs` (from
   * requestVideoFrameCallback): music time heard then minus the frame's media time.
   */
  offsetAt(frameMediaSec: number, displayPerfMs: number): SyncSample | null {
    const heard = this.heardAt(displayPerfMs);
    return heard === null ? null : { offsetMs: (heard - frameMediaSec) * 1000 };
  }

  close(): void {
    this.stop();
    void this.ctx?.close();
    this.ctx = null;
  }
}
