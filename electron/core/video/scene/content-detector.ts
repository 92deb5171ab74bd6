import { FlashFilter, type FlashFilterMode } from './flash-filter.ts';
import { FrameSeriesDetector, resolveWeights } from './frame-series-detector.ts';
import type { ContentWeights } from './types.ts';

export interface ContentDetectorOptions {
  /** `content_val` at or above this starts a new scene. Default 27. */
  threshold?: number;
  /** Frames; default 15. */
  minSceneLen?: number;
  weights?: Partial<ContentWeights>;
  /** Only the V difference counts (overrides `weights`). */
  lumaOnly?: boolean;
  /** Edge dilation kernel (odd ≥ 3); automatic from the frame size when omitted. */
  kernelSize?: number;
  filterMode?: FlashFilterMode;
  /**
   * Compute every component (edges included) even at weight 0, as upstream does when a
   * StatsManager is attached, so `components()` matches its stats file. Costs a Canny per frame.
   */
  recordComponents?: boolean;
}

/** PySceneDetect 0.6.6 `ContentDetector` with its FlashFilter (SIGNALS §1.5, §1.7). */
export class ContentDetector extends FrameSeriesDetector {
  readonly threshold: number;
  readonly minSceneLen: number;
  private readonly filter: FlashFilter;

  constructor(options: ContentDetectorOptions = {}) {
    const weights = resolveWeights(options);
    super(weights, options.kernelSize, options.recordComponents ?? false);
    const threshold = options.threshold ?? 27;
    if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be a finite number, got ${threshold}.`);
    this.threshold = threshold;
    this.minSceneLen = options.minSceneLen ?? 15;
    this.filter = new FlashFilter(options.filterMode ?? 'merge', this.minSceneLen);
  }

  protected onScore(frameIndex: number, score: number): number {
    return this.filter.next(frameIndex, score >= this.threshold);
  }

  protected cutScore(offset: number): number {
    return this.values.get(offset);
  }
}
