export { validateEvents, matchCount, matchPairs, fMeasure } from './events.ts';
export { onsetFMeasure, type OnsetScores } from './onset-metrics.ts';
export {
  evaluateBeats, trimBeats, beatFMeasure, cemgil, goto, pScore, continuity, informationGain, referenceBeatVariations,
  type BeatScores as BeatEvaluation,
} from './beat-metrics.ts';
export { tempoDetection, type TempoScores } from './tempo-metrics.ts';
export { beatScores, secondBins, d2mGanBeatBins, BEAT_SCORES_VARIANT, D2M_GAN_PEAK, type BeatScores } from './beat-scores.ts';
export { syncReport, type SyncReport, type Accent, type AccentResult, type OffsetStats } from './sync-report.ts';
export { parseAccents } from './accents.ts';
export { musicSyncReport, type MusicSyncReport } from './music-sync.ts';
