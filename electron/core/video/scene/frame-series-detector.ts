import { ContentScorer } from './content-score.ts';
import { GrowableArray } from '../growable.ts';
import { DEFAULT_WEIGHTS, LUMA_ONLY_WEIGHTS, type ContentWeights, type SceneCut } from './types.ts';

export interface FrameComponents {
  deltaHue: Float64Array;
  deltaSat: Float64Array;
  deltaLum: Float64Array;
  /** 0 where edges were not computed. */
  deltaEdges: Float64Array;
}

export function resolveWeights(o: { weights?: Partial<ContentWeights>; lumaOnly?: boolean }): ContentWeights {
  if (o.lumaOnly) return { ...LUMA_ONLY_WEIGHTS };
  return { ...DEFAULT_WEIGHTS, ...o.weights };
}

/**
 * Per-frame bookkeeping shared by both detectors: sequential frame numbers, their times, the
 * content_val series and (optionally) its components.
 */
export abstract class FrameSeriesDetector {
  protected readonly scorer: ContentScorer;
  protected readonly times = new GrowableArray(Float64Array);
  protected readonly values = new GrowableArray(Float64Array);
  private readonly comps: GrowableArray<Float64Array>[] | null;
  protected readonly cutList: SceneCut[] = [];
  protected firstFrame: number | null = null;
  private lastFrame: number | null = null;
  private finished = false;

  protected constructor(weights: ContentWeights, kernelSize: number | undefined, recordComponents: boolean) {
    this.scorer = new ContentScorer(weights, kernelSize, recordComponents);
    this.comps = recordComponents ? [new GrowableArray(Float64Array), new GrowableArray(Float64Array), new GrowableArray(Float64Array), new GrowableArray(Float64Array)] : null;
  }

  /**
   * Scores one already-downscaled BGR frame (as `detector.process_frame`). Frame numbers must be
   * consecutive; `timeSec` is the frame's presentation time, used for the cut times.
   */
  process(frameIndex: number, timeSec: number, bgr: Uint8Array, width: number, height: number): void {
    if (this.finished) throw new Error('This detector has finished; make a new one for another video.');
    if (!Number.isInteger(frameIndex) || frameIndex < 0) throw new RangeError(`Frame index must be a whole number ≥ 0, got ${frameIndex}.`);
    if (this.lastFrame !== null && frameIndex !== this.lastFrame + 1) {
      throw new RangeError(`Frames must arrive in order: expected frame ${this.lastFrame + 1}, got ${frameIndex}.`);
    }
    if (!Number.isFinite(timeSec)) throw new RangeError(`Frame ${frameIndex} has no valid time (${timeSec}).`);
    const score = this.scorer.score(bgr, width, height);
    if (this.firstFrame === null) this.firstFrame = frameIndex;
    this.lastFrame = frameIndex;
    this.times.push(timeSec);
    this.values.push(score);
    if (this.comps) {
      const c = this.scorer.last;
      this.comps[0]!.push(c.deltaHue);
      this.comps[1]!.push(c.deltaSat);
      this.comps[2]!.push(c.deltaLum);
      this.comps[3]!.push(c.deltaEdges);
    }
    const cut = this.onScore(frameIndex, score);
    if (cut >= 0) this.addCut(cut);
  }

  /** Ends the stream and returns the cuts, in order (upstream's post_process adds none). */
  finish(): SceneCut[] {
    this.finished = true;
    return this.cuts();
  }

  /** Cuts found so far (sorted, unique). */
  cuts(): SceneCut[] {
    return this.cutList.map((c) => ({ ...c }));
  }

  get frameCount(): number {
    return this.values.length;
  }

  /** `content_val` per processed frame (index 0 = the first frame, always 0). */
  contentValues(): Float64Array {
    return this.values.toArray();
  }

  /** Presentation times passed in, per processed frame. */
  frameTimes(): Float64Array {
    return this.times.toArray();
  }

  /** Score components per frame, when `recordComponents` was set. */
  components(): FrameComponents | null {
    if (!this.comps) return null;
    return {
      deltaHue: this.comps[0]!.toArray(),
      deltaSat: this.comps[1]!.toArray(),
      deltaLum: this.comps[2]!.toArray(),
      deltaEdges: this.comps[3]!.toArray(),
    };
  }

  /** Detector logic for one scored frame: the cut frame it emits, or -1. */
  protected abstract onScore(frameIndex: number, score: number): number;
  protected abstract cutScore(offset: number): number;

  private addCut(frame: number): void {
    const offset = frame - this.firstFrame!;
    const last = this.cutList[this.cutList.length - 1];
    if (last && last.frame >= frame) {
      if (last.frame === frame) return; // upstream keeps a set
      throw new Error(`Internal error: cut at frame ${frame} arrived after frame ${last.frame}.`);
    }
    this.cutList.push({ frame, timeSec: this.times.get(offset), score: this.cutScore(offset) });
  }
}
