export { analyzeVideo, DEFAULT_FILMSTRIP, WAVEFORM_SAMPLE_RATE, type AnalyzeOptions, type AnalysisProgress, type AnalysisStage } from './analyze-video.ts';
export { VIDEO_ANALYSIS_VERSION, type VideoAnalysis, type ColourHistograms, type Filmstrip, type FilmstripTile } from './video-analysis.ts';
export { analysisToJson, analysisFromJson, type VideoAnalysisJson, type BinaryRef } from './analysis-json.ts';
export { writeAnalysisFile, readAnalysisFile, sidecarPathFor } from './analysis-file.ts';
export { visualRhythm, hannWindow, smoothCentred, quantile, DEFAULT_VISUAL_RHYTHM_PARAMS, type VisualRhythm, type VisualRhythmParams } from './visual-rhythm.ts';
export { visualBeats, beatVector, peakPickFrames, DEFAULT_VISUAL_BEAT_PARAMS, type VisualBeat, type VisualBeatParams } from './visual-beats.ts';
export { sceneVector, secondsCovered } from './scene-vector.ts';
export { rgbUvHistogram, DIFF_V2M_HISTOGRAM, type RgbUvHistogramParams } from './rgb-uv-histogram.ts';
export { colourStats, type ColourStats } from './colour-stats.ts';
export {
  valenceArousal, moodOf, perSecondMood, perSceneMood, overallMood, describeMood,
  type MoodDescriptors, type MoodSeries, type SceneMood,
} from './mood.ts';
export { liveAnalysisWorkerCount } from './frame-sink.ts';
export { WaveformPeaksBuilder, type WaveformPeaks, type WaveformLevel } from './waveform-peaks.ts';
export type { SceneCut, SceneDetectorKind } from './scene/index.ts';
