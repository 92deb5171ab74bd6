export { vddimSchedule, alphaSigma, type NoiseSchedule } from './schedule.ts';
export { cfgCombine, predictX0Eps, ddimUpdate, oracleV } from './vddim-step.ts';
export { GaussianNoise, gaussianNoise } from './gaussian-noise.ts';
export { sampleVddim, DEFAULT_STEPS, DEFAULT_CFG_SCALE, type Denoiser, type VddimOptions, type SamplerProgress } from './sampler.ts';
export { planWindows, stitchWindows, type GenerationWindow, type WindowOptions } from './windows.ts';
export { generateDiffV2m, diffV2mAudio, fitWindowAudio, colourPerSecond, type DiffV2mOptions, type DiffV2mResult, type DiffV2mAudio, type DiffV2mStage } from './diffv2m-generator.ts';
export { diffV2mGenerator, type DiffV2mParams } from './diffv2m-music-generator.ts';
