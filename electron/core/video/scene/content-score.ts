import { HUE_DIV, SAT_DIV } from './bgr-to-hsv.ts';
import { EdgeMapper } from './edge-map.ts';
import type { ContentWeights } from './types.ts';

export interface ScoreComponents {
  deltaHue: number;
  deltaSat: number;
  deltaLum: number;
  deltaEdges: number;
}

export function checkWeights(w: ContentWeights): void {
  for (const k of ['deltaHue', 'deltaSat', 'deltaLum', 'deltaEdges'] as const) {
    if (!Number.isFinite(w[k])) throw new RangeError(`Weight ${k} must be a finite number, got ${String(w[k])}.`);
  }
  if (Math.abs(w.deltaHue) + Math.abs(w.deltaSat) + Math.abs(w.deltaLum) + Math.abs(w.deltaEdges) === 0) {
    throw new RangeError('At least one content weight must be non-zero.');
  }
}

/**
 * ContentDetector's frame score (SIGNALS §1.5): mean absolute difference of the H, S, V planes
 * (and optionally the dilated edge map) against the previous frame, weighted. The first frame
 * scores 0. Buffers are allocated on the first frame and reused; HSV conversion and the
 * differences run in one pass over the pixels.
 */
export class ContentScorer {
  private readonly weights: ContentWeights;
  private readonly kernelSize: number | undefined;
  private readonly withEdges: boolean;
  private width = 0;
  private height = 0;
  private cur: Uint8Array[] = [];
  private prev: Uint8Array[] = [];
  private edgeMapper: EdgeMapper | null = null;
  private prevEdges: Uint8Array | null = null;
  private curEdges: Uint8Array | null = null;
  private hasPrev = false;
  /** Components of the last scored frame (all 0 for the first frame). */
  readonly last: ScoreComponents = { deltaHue: 0, deltaSat: 0, deltaLum: 0, deltaEdges: 0 };

  /** `withEdges`: compute the edge component even at weight 0 (upstream does so with stats on). */
  constructor(weights: ContentWeights, kernelSize?: number, withEdges = false) {
    checkWeights(weights);
    if (kernelSize !== undefined && (!Number.isInteger(kernelSize) || kernelSize < 3 || kernelSize % 2 === 0)) {
      throw new RangeError(`kernelSize must be an odd whole number ≥ 3, got ${kernelSize}.`);
    }
    this.weights = { ...weights };
    this.kernelSize = kernelSize;
    this.withEdges = withEdges || weights.deltaEdges > 0;
  }

  /** Processing size, fixed by the first frame (0×0 before it). */
  get frameSize(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  score(bgr: Uint8Array, width: number, height: number): number {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new RangeError(`Frame size must be positive whole numbers of pixels, got ${width}×${height}.`);
    }
    const n = width * height;
    if (bgr.length !== n * 3) {
      throw new RangeError(`BGR frame holds ${bgr.length} bytes; ${width}×${height}×3 needs ${n * 3}.`);
    }
    if (this.width === 0) this.allocate(width, height);
    else if (width !== this.width || height !== this.height) {
      throw new RangeError(`Frame size changed from ${this.width}×${this.height} to ${width}×${height}; all frames must match.`);
    }

    const hue = this.cur[0]!;
    const sat = this.cur[1]!;
    const val = this.cur[2]!;
    const ph = this.prev[0]!;
    const ps = this.prev[1]!;
    const pv = this.prev[2]!;
    const first = !this.hasPrev;
    let sumH = 0;
    let sumS = 0;
    let sumV = 0;
    for (let p = 0, i = 0; p < n; p++, i += 3) {
      const b = bgr[i]!;
      const g = bgr[i + 1]!;
      const r = bgr[i + 2]!;
      const v = b > g ? (b > r ? b : r) : g > r ? g : r;
      const diff = v - (b < g ? (b < r ? b : r) : g < r ? g : r);
      const raw = v === r ? g - b : v === g ? b - r + 2 * diff : r - g + 4 * diff;
      let h = (raw * HUE_DIV[diff]! + 2048) >> 12;
      if (h < 0) h += 180;
      const s = (diff * SAT_DIV[v]! + 2048) >> 12;
      hue[p] = h;
      sat[p] = s;
      val[p] = v;
      if (!first) {
        const dh = h - ph[p]!;
        const ds = s - ps[p]!;
        const dv = v - pv[p]!;
        sumH += dh < 0 ? -dh : dh;
        sumS += ds < 0 ? -ds : ds;
        sumV += dv < 0 ? -dv : dv;
      }
    }

    let sumE = 0;
    if (this.edgeMapper) {
      this.curEdges!.set(this.edgeMapper.compute(val));
      if (!first) {
        const ce = this.curEdges!;
        const pe = this.prevEdges!;
        for (let p = 0; p < n; p++) sumE += ce[p] !== pe[p] ? 255 : 0;
      }
      const t = this.prevEdges;
      this.prevEdges = this.curEdges;
      this.curEdges = t;
    }

    const t = this.prev;
    this.prev = this.cur;
    this.cur = t;
    this.hasPrev = true;

    const c = this.last;
    if (first) {
      c.deltaHue = c.deltaSat = c.deltaLum = c.deltaEdges = 0;
      return 0;
    }
    c.deltaHue = sumH / n;
    c.deltaSat = sumS / n;
    c.deltaLum = sumV / n;
    c.deltaEdges = this.edgeMapper ? sumE / n : 0;
    // Same summation order as upstream (Python sum over the components, from 0) for equal bits.
    const w = this.weights;
    const num = 0 + c.deltaHue * w.deltaHue + c.deltaSat * w.deltaSat + c.deltaLum * w.deltaLum + c.deltaEdges * w.deltaEdges;
    const den = 0 + Math.abs(w.deltaHue) + Math.abs(w.deltaSat) + Math.abs(w.deltaLum) + Math.abs(w.deltaEdges);
    return num / den;
  }

  private allocate(width: number, height: number): void {
    const n = width * height;
    this.width = width;
    this.height = height;
    this.cur = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
    this.prev = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
    if (this.withEdges) {
      this.edgeMapper = new EdgeMapper(width, height, this.kernelSize);
      this.curEdges = new Uint8Array(n);
      this.prevEdges = new Uint8Array(n);
    }
  }
}
