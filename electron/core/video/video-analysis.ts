import type { SceneCut } from './scene/index.ts';
import type { SceneDetectorKind } from './frame-analyser.ts';
import type { MoodDescriptors, MoodSeries, SceneMood } from './mood.ts';
import type { VisualBeat, VisualBeatParams } from './visual-beats.ts';
import type { VisualRhythmParams } from './visual-rhythm.ts';
import type { WaveformPeaks } from './waveform-peaks.ts';

/** Bumped whenever the shape or the meaning of a field changes; readers reject other versions. */
export const VIDEO_ANALYSIS_VERSION = 1;

export interface FilmstripTile {
  timeSec: number;
  jpeg: Uint8Array;
}

export interface Filmstrip {
  intervalSec: number;
  width: number;
  height: number;
  tiles: FilmstripTile[];
}

export interface ColourHistograms {
  /** 3072 = 3 channels × 32 × 32 (HistoGAN RGB-uv). */
  dim: number;
  /** Time of the frame each row was computed from. */
  times: Float64Array;
  /** Row-major, times.length × dim. */
  data: Float32Array;
  /** How the rows were made; the recipe is the best-supported hypothesis of Diff-V2M's. */
  recipe: string;
}

/** Everything the visual analysis of one video produced. */
export interface VideoAnalysis {
  version: typeof VIDEO_ANALYSIS_VERSION;
  source: { path: string; sizeBytes: number; width: number; height: number; codec: string; vfr: boolean };
  /** Time covered by the decoded frames (less than the file's when decoding stopped early). */
  durationSec: number;
  /** Presentation time of the first frame. */
  startSec: number;
  /** The typical frame rate (median frame interval). */
  fps: number;
  /** Frames decoded and analysed. */
  frameCount: number;
  /** Length of every per-second vector: second s covers [s, s+1) of file time. */
  seconds: number;
  sceneDetector: SceneDetectorKind;
  sceneCuts: SceneCut[];
  /** The detector's per-frame content_val (PySceneDetect's frame score). */
  contentValues: Float64Array;
  /** The paper's e: 1 where a new scene starts in that second. */
  sceneVector: Uint8Array;
  visualRhythm: {
    fps: number;
    /** One value per analysed frame, 0..1 (see visual-rhythm.ts for the definition). */
    curve: Float32Array;
    frameTimes: Float64Array;
    params: VisualRhythmParams;
  };
  visualBeats: VisualBeat[];
  visualBeatParams: VisualBeatParams;
  /** The paper's v: the strongest beat in each second, 0 if none. */
  visualBeatVector: Float32Array;
  colourHistograms: ColourHistograms | null;
  mood: { overall: MoodDescriptors; perSecond: MoodSeries; perScene: SceneMood[] };
  filmstrip: Filmstrip | null;
  waveform: WaveformPeaks | null;
  /** False when decoding stopped before the end of the video. */
  complete: boolean;
  warnings: string[];
}
