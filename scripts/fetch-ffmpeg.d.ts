// Types for scripts/fetch-ffmpeg.js (plain JavaScript: it runs at install time, before anything is compiled).
export interface FfmpegStaticPackage {
  dir: string;
  version: string;
}
export type FetchResult =
  | { binary: string; version: string | undefined; package: FfmpegStaticPackage; problem?: undefined }
  | { problem: string; binary?: undefined };
export declare function isExecutableFile(p: string): boolean;
export declare function ffmpegStaticPackage(): FfmpegStaticPackage | undefined;
export declare function ffmpegStaticBinary(dir: string): string;
export declare function fetchFfmpegStatic(o?: { verbose?: boolean; timeoutMs?: number; pkg?: FfmpegStaticPackage | undefined }): FetchResult;
export declare function fallbackFfmpeg(env?: NodeJS.ProcessEnv): { source: 'override' | 'bundled' | 'path'; path: string; words: string } | undefined;
export declare function choiceLine(fetched: FetchResult, env?: NodeJS.ProcessEnv): string;
