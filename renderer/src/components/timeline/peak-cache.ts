// Waveform peaks reduced for the current zoom, cached per level (as peaks.js does), so a scroll
// redraw touches one value pair per pixel instead of the whole waveform.

export interface PeakLevel {
  /** Buckets per second at this level. */
  perSecond: number;
  min: Float32Array;
  max: Float32Array;
}

export class PeakCache {
  private readonly levels = new Map<number, PeakLevel>();
  readonly base: PeakLevel;

  constructor(min: ArrayLike<number>, max: ArrayLike<number>, perSecond: number) {
    if (min.length !== max.length) throw new RangeError('Waveform min and max differ in length.');
    this.base = { perSecond, min: Float32Array.from(min), max: Float32Array.from(max) };
    this.levels.set(1, this.base);
  }

  /** How many base buckets one bucket merges at this scale (a power of two, ≥ 1). */
  static factorFor(basePerSecond: number, pxPerSec: number): number {
    const perPx = basePerSecond / pxPerSec;
    if (perPx <= 1) return 1;
    return 2 ** Math.floor(Math.log2(perPx));
  }

  /** The level with about one bucket per pixel (never coarser than a pixel). */
  levelFor(pxPerSec: number): PeakLevel {
    const factor = PeakCache.factorFor(this.base.perSecond, pxPerSec);
    let level = this.levels.get(factor);
    if (!level) {
      level = reduce(this.base, factor);
      this.levels.set(factor, level);
    }
    return level;
  }

  get cachedLevels(): number {
    return this.levels.size;
  }
}

function reduce(base: PeakLevel, factor: number): PeakLevel {
  const n = Math.ceil(base.min.length / factor);
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(base.min.length, (i + 1) * factor);
    for (let j = i * factor; j < end; j++) {
      if (base.min[j]! < lo) lo = base.min[j]!;
      if (base.max[j]! > hi) hi = base.max[j]!;
    }
    min[i] = lo;
    max[i] = hi;
  }
  return { perSecond: base.perSecond / factor, min, max };
}

/** Min/max peaks of decoded PCM (a generated music file), at `perSecond` buckets per second. */
export function peaksFromSamples(channels: Float32Array[], sampleRate: number, perSecond = 200): { min: Float32Array; max: Float32Array; perSecond: number } {
  const length = channels[0]?.length ?? 0;
  const bucket = Math.max(1, Math.round(sampleRate / perSecond));
  const n = Math.ceil(length / bucket);
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(length, (i + 1) * bucket);
    for (let j = i * bucket; j < end; j++) {
      let v = 0;
      for (const ch of channels) v += ch[j]!;
      v /= channels.length;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[i] = lo;
    max[i] = hi;
  }
  return { min, max, perSecond: sampleRate / bucket };
}
