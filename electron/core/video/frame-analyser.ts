import { AdaptiveDetector, ContentDetector, PysceneDownscaler, pysceneGrid, type SceneCut, type SceneDetectorKind } from './scene/index.ts';
import { colourStats, type ColourStats } from './colour-stats.ts';
import { GrowableArray } from './growable.ts';
import { lumaFromBgr, meanAbsDifference } from './luma-difference.ts';
import { DIFF_V2M_HISTOGRAM, rgbUvHistogram } from './rgb-uv-histogram.ts';
import { sampleFrameFromBgr } from './sample-frame.ts';

export type { SceneDetectorKind };

export interface FrameAnalyserConfig {
  /** Display size of the video; frames arrive as only their `pysceneGrid` pixels (BGR). */
  width: number;
  height: number;
  /** Expected frame count (a capacity hint). */
  frameCountHint: number;
  detector: SceneDetectorKind;
  /** Compute the 3072-d colour histogram of each sampled second. */
  histograms: boolean;
}

/** What the per-frame pass produces; the typed arrays are transferable. */
export interface FrameAnalysisResult {
  frameCount: number;
  frameTimes: Float64Array;
  /** Mean absolute luma difference to the previous frame (0 for the first), 8-bit levels. */
  lumaDiffs: Float32Array;
  cuts: SceneCut[];
  /** PySceneDetect's per-frame content_val of the chosen detector. */
  contentValues: Float64Array;
  /** Size of the frames the detectors and the rhythm curve saw. */
  analysisWidth: number;
  analysisHeight: number;
  sampleTimes: Float64Array;
  sampleColours: ColourStats[];
  /** Row-major, `sampleTimes.length` × 3072 (empty when histograms are off). */
  histograms: Float32Array;
}

/** Bytes of one frame as the analyser takes it: the `pysceneGrid` pixels of a `width`×`height` BGR frame. */
export function analyserInputBytes(width: number, height: number): number {
  const grid = pysceneGrid(width, height);
  return (grid ? grid.cols.length * grid.rows.length : width * height) * 3;
}

/**
 * Everything that must see every frame, fed one frame at a time as the pixels PySceneDetect's
 * downscale reads (`pysceneGrid`, gathered by ffmpeg): the downscale (once) feeding the scene
 * detector and the luma difference; and, fed apart, the 1-fps centre squares for the colour
 * features. Runs inside the analysis worker; pure apart from its own state.
 */
export class FrameAnalyser {
  private readonly detector: ContentDetector | AdaptiveDetector;
  private readonly downscaler = new PysceneDownscaler(true);
  private readonly inputBytes: number;
  private readonly times: GrowableArray<Float64Array>;
  private readonly diffs: GrowableArray<Float32Array>;
  private prevLuma: Uint8Array | undefined;
  private spareLuma: Uint8Array | undefined;
  private frames = 0;
  private analysisSize = { width: 0, height: 0 };
  private readonly sampleTimes: number[] = [];
  private readonly sampleColours: ColourStats[] = [];
  private readonly histograms: Float32Array[] = [];

  constructor(private readonly cfg: FrameAnalyserConfig) {
    if (!(cfg.width > 0 && cfg.height > 0)) throw new RangeError(`FrameAnalyser: frame size must be positive, got ${cfg.width}×${cfg.height}.`);
    this.detector = cfg.detector === 'adaptive' ? new AdaptiveDetector() : new ContentDetector();
    this.times = new GrowableArray(Float64Array, cfg.frameCountHint + 1);
    this.diffs = new GrowableArray(Float32Array, cfg.frameCountHint + 1);
    this.inputBytes = analyserInputBytes(cfg.width, cfg.height);
  }

  /** One frame: its `pysceneGrid` pixels, BGR, packed row by row. */
  push(index: number, ptsSec: number, gathered: Uint8Array): void {
    const { width, height } = this.cfg;
    if (gathered.length !== this.inputBytes) {
      throw new RangeError(`FrameAnalyser: frame ${index} has ${gathered.length} bytes, expected ${this.inputBytes} (the downscale's pixels of a ${width}×${height} BGR frame).`);
    }
    const small = this.downscaler.downscale(gathered, width, height, 3);
    this.analysisSize = { width: small.width, height: small.height };
    this.detector.process(index, ptsSec, small.data, small.width, small.height);

    // Two luma planes take turns: no allocation per frame.
    const cur = lumaFromBgr(small.data, this.spareLuma);
    this.diffs.push(this.prevLuma && this.prevLuma.length === cur.length ? meanAbsDifference(this.prevLuma, cur) : 0);
    this.spareLuma = this.prevLuma;
    this.prevLuma = cur;
    this.times.push(ptsSec);
    this.frames++;
  }

  /** The colour sample of one interval: the frame's full-resolution centre square, BGR. */
  pushSample(ptsSec: number, square: Uint8Array, side: number): void {
    const rgb = sampleFrameFromBgr(square, side, side);
    this.sampleTimes.push(ptsSec);
    this.sampleColours.push(colourStats(rgb));
    if (this.cfg.histograms) this.histograms.push(rgbUvHistogram(rgb, 224, 224, DIFF_V2M_HISTOGRAM));
  }

  finish(): FrameAnalysisResult {
    const cuts = this.detector.finish();
    const dim = this.histograms[0]?.length ?? 0;
    const histograms = new Float32Array(this.histograms.length * dim);
    this.histograms.forEach((h, i) => histograms.set(h, i * dim));
    return {
      frameCount: this.frames,
      frameTimes: this.times.toArray(),
      lumaDiffs: this.diffs.toArray(),
      cuts,
      contentValues: this.detector.contentValues(),
      analysisWidth: this.analysisSize.width,
      analysisHeight: this.analysisSize.height,
      sampleTimes: Float64Array.from(this.sampleTimes),
      sampleColours: this.sampleColours,
      histograms,
    };
  }
}
