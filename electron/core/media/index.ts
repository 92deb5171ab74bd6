export { MediaError, isAbortError, type MediaErrorCode } from './errors.ts';
export { resolveBinary, type MediaTool, type ResolvedBinary } from './binaries.ts';
export { liveMediaProcessCount, spawnMedia, runMedia } from './process.ts';
export { ProgressParser, type FfmpegProgress } from './progress.ts';
export { probe, type MediaInfo, type VideoStreamInfo, type AudioStreamInfo } from './probe.ts';
export { analysisFrames, samplingFrames, thumbnails, type VideoFrame, type JpegFrame, type PixelFormat } from './frames.ts';
export { audioChunks, decodeAudio, type PcmAudio, type AudioDecodeOptions } from './audio.ts';
export { analysisSize } from './frame-geometry.ts';
export { toolVersion, type ToolVersion } from './versions.ts';
