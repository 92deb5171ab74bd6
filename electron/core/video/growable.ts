type TypedCtor<T> = { new (n: number): T };

/**
 * An append-only typed array that doubles its storage when full: per-frame series whose length
 * is only estimated up front (frame counts of VFR or truncated video, audio bucket counts).
 */
export class GrowableArray<T extends Float32Array | Float64Array> {
  private data: T;
  private n = 0;

  constructor(private readonly ctor: TypedCtor<T>, initialCapacity = 1024) {
    this.data = new ctor(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new this.ctor(this.data.length * 2);
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

  /** A trimmed copy of the values pushed so far. */
  toArray(): T {
    return this.data.slice(0, this.n) as T;
  }
}
