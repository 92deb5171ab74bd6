export { kWeightingFilters, gatedLoudness, LoudnessMeter, TruePeakMeter, truePeakPhases, toDb, TRUE_PEAK_TAPS, type Biquad } from './loudness-meter.ts';
export { LimiterGain, type LimiterOptions } from './limiter.ts';
export { WavWriter, wavHeader, encodePcm24, encodePcm24Into } from './wav-writer.ts';
export { readWavInfo, wavMonoChunks, type WavInfo } from './wav-reader.ts';
export { memorySource, sumSource, RawStereoFile, type StereoSource } from './stereo-source.ts';
export { masterStereo, DEFAULT_TARGET_LUFS, DEFAULT_TRUE_PEAK_DBTP, type MasterOptions, type MasterResult } from './master.ts';
export { RawPass, type RawMeasure, type MeasuredSource } from './raw-pass.ts';
