type TypedCtor<T> = { new (n: number): T };

/** An append-only typed array that doubles when full (frame counts are only estimates). */
export class GrowableArray<T extends Float32Array | Float64Array> {
  private data: T;
  length = 0;
  constructor(private readonly ctor: TypedCtor<T>, initial = 1024) {
    this.data = new ctor(Math.max(16, initial));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** A trimmed copy. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}
