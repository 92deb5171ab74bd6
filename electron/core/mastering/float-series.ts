/** An append-only Float32Array that doubles as it grows: one number per bin of a long signal. */
export class FloatSeries {
  private data: Float32Array;
  length = 0;

  /** `capacity`: the expected length, where known, so a long signal is not held twice while it doubles. */
  constructor(capacity = 1024) {
    this.data = new Float32Array(Math.max(1, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(2 * this.data.length);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** The values so far (a view: it changes if more are pushed). */
  values(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}
