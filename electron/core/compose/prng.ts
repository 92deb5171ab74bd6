/**
 * Seeded PRNG (mulberry32): small, fast, and the same sequence on every platform, so the same
 * plan + seed gives byte-identical music. Not for anything security-related.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`The seed must be a finite number, got ${seed}.`);
    // Mix the seed so nearby seeds start far apart.
    this.state = (Math.imul(Math.trunc(seed) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(list: readonly T[]): T {
    if (!list.length) throw new RangeError('Cannot pick from an empty list.');
    return list[Math.floor(this.next() * list.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An independent stream for one part, so changing one part does not reshuffle the others. */
  fork(label: string): Prng {
    let h = 2166136261;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
    return new Prng((this.state ^ h) >>> 0);
  }
}
