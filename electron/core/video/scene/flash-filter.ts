/**
 * PySceneDetect 0.6.4–0.6.7 `FlashFilter` (SIGNALS §1.7): enforces `min_scene_len` in frames.
 * MERGE (the default) folds a burst of close cuts into one cut at the burst's last
 * above-threshold frame; SUPPRESS drops cuts until `length` frames have passed.
 */

export type FlashFilterMode = 'merge' | 'suppress';

export class FlashFilter {
  readonly mode: FlashFilterMode;
  readonly length: number;
  private lastAbove: number | null = null;
  private mergeEnabled = false;
  private mergeTriggered = false;
  private mergeStart = 0;

  constructor(mode: FlashFilterMode, length: number) {
    if (mode !== 'merge' && mode !== 'suppress') throw new RangeError(`Unknown flash filter mode "${String(mode)}".`);
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`min_scene_len must be a whole number of frames ≥ 0, got ${length}.`);
    }
    this.mode = mode;
    this.length = length;
  }

  /** Frame `n` was above the threshold or not; returns the cut frames this emits (0 or 1). */
  filter(n: number, above: boolean): number[] {
    const cut = this.next(n, above);
    return cut < 0 ? [] : [cut];
  }

  /** As `filter`, without allocating: the emitted cut frame, or -1. */
  next(n: number, above: boolean): number {
    if (!(this.length > 0)) return above ? n : -1;
    if (this.lastAbove === null) this.lastAbove = n;
    return this.mode === 'merge' ? this.merge(n, above) : this.suppress(n, above);
  }

  private suppress(n: number, above: boolean): number {
    const met = n - this.lastAbove! >= this.length;
    if (!(above && met)) return -1;
    this.lastAbove = n;
    return n;
  }

  private merge(n: number, above: boolean): number {
    // Measured before lastAbove moves, as upstream does.
    const met = n - this.lastAbove! >= this.length;
    if (above) this.lastAbove = n;
    if (this.mergeTriggered) {
      if (met && !above && this.lastAbove! - this.mergeStart >= this.length) {
        this.mergeTriggered = false;
        return this.lastAbove!;
      }
      return -1;
    }
    if (!above) return -1;
    if (met) {
      this.mergeEnabled = true;
      return n;
    }
    if (this.mergeEnabled) {
      this.mergeTriggered = true;
      this.mergeStart = n;
    }
    return -1;
  }
}
