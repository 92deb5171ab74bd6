export { RemixError, type RemixErrorCode } from './remix-error.ts';
export { loadTrack, analyzeTrack, MAX_TRACK_SEC, MIN_BARS, TRACK_SAMPLE_RATE, type DecodedTrack, type TrackAnalysis } from './track-analysis.ts';
export { frameFeatures, beatFeatures, fluxAround, melRise, frameOf, type FrameFeatures, type BeatFeatures } from './beat-features.ts';
export { estimateMeter, sectionStarts, type MeterEstimate } from './downbeats.ts';
export { jumpCandidates, beatSimilarity, seamFlux, type JumpCandidates, type CandidateOptions } from './transitions.ts';
export { arrange, tempoFactors, type Arrangement, type Seam, type Segment, type SearchOptions, type SearchTrack, type AimAccent } from './arrangement-search.ts';
export { renderArrangement, fadeLengthSec, type Stretcher, SEAM_LEAD_SEC, SEAM_TRAIL_SEC } from './render-remix.ts';
export { eventsInOutput, landingRates, type LandingRates } from './remix-metrics.ts';
export { generateRemix, longestSilenceSec, type RemixOptions, type RemixResult, type RemixSummary, type RemixSeam, type RemixStage } from './remix-generator.ts';
