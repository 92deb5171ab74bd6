import { analysisFrames, type FfmpegProgress, type MediaInfo } from '../../media/index.ts';
import { AdaptiveDetector, type AdaptiveDetectorOptions } from './adaptive-detector.ts';
import { ContentDetector, type ContentDetectorOptions } from './content-detector.ts';
import type { FrameComponents } from './frame-series-detector.ts';
import { PysceneDownscaler } from './downscale.ts';
import type { SceneCut } from './types.ts';

export type SceneDetectorKind = 'content' | 'adaptive';

export interface DetectSceneCutsOptions {
  detector?: SceneDetectorKind;
  /** Detector options; defaults are PySceneDetect 0.6.6's. */
  content?: ContentDetectorOptions;
  adaptive?: AdaptiveDetectorOptions;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  onWarning?: (message: string) => void;
  info?: MediaInfo;
}

export interface SceneCutResult {
  detector: SceneDetectorKind;
  cuts: SceneCut[];
  frameCount: number;
  /** Processing size (after PySceneDetect's downscale). */
  width: number;
  height: number;
  /** Presentation time of every decoded frame. */
  frameTimes: Float64Array;
  contentValues: Float64Array;
  /** AdaptiveDetector only: NaN where a frame was never a window centre. */
  adaptiveRatios?: Float64Array;
  /** Per-frame score components, when the detector options ask for `recordComponents`. */
  components?: FrameComponents;
}

/**
 * Decodes every frame at display resolution as BGR (as OpenCV's VideoCapture hands them to
 * PySceneDetect), downscales them OpenCV-exactly here, and runs one detector. A reference for
 * the one-pass analysis, which feeds the same detector classes from its shared decode.
 */
export async function detectSceneCuts(filePath: string, opts: DetectSceneCutsOptions = {}): Promise<SceneCutResult> {
  const kind = opts.detector ?? 'content';
  if (kind !== 'content' && kind !== 'adaptive') throw new RangeError(`Unknown scene detector "${String(kind)}".`);
  const det = kind === 'content' ? new ContentDetector(opts.content) : new AdaptiveDetector(opts.adaptive);
  const downscaler = new PysceneDownscaler();
  let width = 0;
  let height = 0;
  for await (const frame of analysisFrames(filePath, {
    downscale: false,
    pixFmt: 'bgr24',
    signal: opts.signal,
    onProgress: opts.onProgress,
    onWarning: opts.onWarning,
    info: opts.info,
  })) {
    const small = downscaler.downscale(frame.data, frame.width, frame.height, 3);
    width = small.width;
    height = small.height;
    det.process(frame.index, frame.ptsSec, small.data, small.width, small.height);
  }
  const cuts = det.finish();
  const components = det.components();
  return {
    detector: kind,
    cuts,
    frameCount: det.frameCount,
    width,
    height,
    frameTimes: det.frameTimes(),
    contentValues: det.contentValues(),
    ...(det instanceof AdaptiveDetector ? { adaptiveRatios: det.adaptiveRatios() } : {}),
    ...(components ? { components } : {}),
  };
}
