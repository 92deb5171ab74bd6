import { FrameSeriesDetector, resolveWeights } from './frame-series-detector.ts';
import { GrowableArray } from '../growable.ts';
import type { ContentWeights } from './types.ts';

export interface AdaptiveDetectorOptions {
  /** Ratio of a frame's content_val to its neighbours' mean that starts a scene. Default 3. */
  adaptiveThreshold?: number;
  /** Frames; default 15. */
  minSceneLen?: number;
  /** Frames averaged on each side of the target; default 2, at least 1. */
  windowWidth?: number;
  /** The target's content_val must also reach this. Default 15. */
  minContentVal?: number;
  weights?: Partial<ContentWeights>;
  lumaOnly?: boolean;
  kernelSize?: number;
  /** As in ContentDetectorOptions. */
  recordComponents?: boolean;
}

/**
 * PySceneDetect 0.6.6 `AdaptiveDetector` (SIGNALS §1.8): compares each frame's content_val with
 * the mean of `windowWidth` frames either side, so its cuts are reported `windowWidth` frames late.
 */
export class AdaptiveDetector extends FrameSeriesDetector {
  readonly adaptiveThreshold: number;
  readonly minSceneLen: number;
  readonly windowWidth: number;
  readonly minContentVal: number;
  private readonly ratios = new GrowableArray(Float64Array);
  private lastCut: number | null = null;

  constructor(options: AdaptiveDetectorOptions = {}) {
    super(resolveWeights(options), options.kernelSize, options.recordComponents ?? false);
    this.adaptiveThreshold = options.adaptiveThreshold ?? 3;
    this.minSceneLen = options.minSceneLen ?? 15;
    this.windowWidth = options.windowWidth ?? 2;
    this.minContentVal = options.minContentVal ?? 15;
    if (!Number.isFinite(this.adaptiveThreshold)) throw new RangeError(`adaptiveThreshold must be a finite number, got ${this.adaptiveThreshold}.`);
    if (!Number.isFinite(this.minContentVal)) throw new RangeError(`minContentVal must be a finite number, got ${this.minContentVal}.`);
    if (!Number.isInteger(this.minSceneLen) || this.minSceneLen < 0) {
      throw new RangeError(`min_scene_len must be a whole number of frames ≥ 0, got ${this.minSceneLen}.`);
    }
    if (!Number.isInteger(this.windowWidth) || this.windowWidth < 1) {
      throw new RangeError(`windowWidth must be a whole number ≥ 1, got ${this.windowWidth}.`);
    }
  }

  protected onScore(frameIndex: number, _score: number): number {
    this.ratios.push(Number.NaN); // defined once this frame is a window centre
    if (this.lastCut === null) this.lastCut = frameIndex;
    const w = this.windowWidth;
    const n = this.values.length;
    if (n < 2 * w + 1) return -1;
    const centre = n - 1 - w;
    let sum = 0;
    for (let i = n - 1 - 2 * w; i < n; i++) if (i !== centre) sum += this.values.get(i);
    const avg = sum / (2.0 * w);
    const target = this.values.get(centre);
    let ratio = 0.0;
    if (!(Math.abs(avg) < 0.00001)) ratio = Math.min(target / avg, 255.0);
    else if (target >= this.minContentVal) ratio = 255.0;
    this.ratios.set(centre, ratio);
    const targetFrame = this.firstFrame! + centre;
    // Upstream measures the length from the current frame, not the target.
    if (ratio >= this.adaptiveThreshold && target >= this.minContentVal && frameIndex - this.lastCut >= this.minSceneLen) {
      this.lastCut = targetFrame;
      return targetFrame;
    }
    return -1;
  }

  protected cutScore(offset: number): number {
    return this.ratios.get(offset);
  }

  /** `adaptive_ratio (w=…)` per frame; NaN for the first and last `windowWidth` frames. */
  adaptiveRatios(): Float64Array {
    return this.ratios.toArray();
  }
}
