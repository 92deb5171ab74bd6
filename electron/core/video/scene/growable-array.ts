/** An append-only Float64Array that doubles its storage, for per-frame series of unknown length. */
export class GrowableFloat64 {
  private data: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    if (i < 0 || i >= this.n) throw new RangeError(`Index ${i} is outside 0..${this.n - 1}.`);
    this.data[i] = v;
  }

  /** A copy of the values pushed so far. */
  toArray(): Float64Array {
    return this.data.slice(0, this.n);
  }
}
