/**
 * Scene cuts exactly as PySceneDetect 0.6.6 computes them (SIGNALS §1): OpenCV-exact downscale,
 * HSV and Canny, ContentDetector (FlashFilter) and AdaptiveDetector. Detectors take frames one
 * at a time, already downscaled, so the one-pass analysis can feed them from its shared decode;
 * `detectSceneCuts` is the stand-alone decode-and-detect path.
 */
export { gatherGrid, LinearResizer, resizeLinear, type SourceGrid } from './resize-linear.ts';
export { pysceneDownscale, PysceneDownscaler, pysceneGrid, type PixelFrame } from './downscale.ts';
export { bgrToHsv, type HsvPlanes } from './bgr-to-hsv.ts';
export { EdgeMapper, estimatedKernelSize, medianU8, cannyThresholds } from './edge-map.ts';
export { FlashFilter, type FlashFilterMode } from './flash-filter.ts';
export { ContentScorer, type ScoreComponents } from './content-score.ts';
export { ContentDetector, type ContentDetectorOptions } from './content-detector.ts';
export { FrameSeriesDetector, type FrameComponents } from './frame-series-detector.ts';
export { AdaptiveDetector, type AdaptiveDetectorOptions } from './adaptive-detector.ts';
export { detectSceneCuts, type DetectSceneCutsOptions, type SceneCutResult, type SceneDetectorKind } from './detect-scene-cuts.ts';
export { DEFAULT_WEIGHTS, LUMA_ONLY_WEIGHTS, type ContentWeights, type SceneCut } from './types.ts';
