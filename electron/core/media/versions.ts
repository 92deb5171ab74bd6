import { resolveBinary, type BinarySource, type MediaTool } from './binaries.ts';
import { runMedia } from './process.ts';

export interface ToolVersion {
  tool: MediaTool;
  path: string;
  source: BinarySource;
  /** The source in words, with the package version ("ffmpeg-static 5.3.0", "V2M_FFMPEG", "PATH"). */
  origin: string;
  /** The build's version: "6.1.1-static", "5.1.6-0+deb12u1" or a git build id such as "N-47683-g0e8eb07980-static". */
  version: string;
}

/** The version ffmpeg or ffprobe reports, with where the binary that runs was found. */
export async function toolVersion(tool: MediaTool, signal?: AbortSignal): Promise<ToolVersion> {
  const bin = resolveBinary(tool);
  const out = (await runMedia(tool, ['-hide_banner', '-version'], { signal })).toString('utf8');
  return { tool, path: bin.path, source: bin.source, origin: bin.origin, version: parseToolVersion(out) };
}

/** The version word of `ffmpeg -version`'s first line ("ffmpeg version 5.1.6-0+deb12u1 Copyright …"). */
export function parseToolVersion(out: string): string {
  return /version\s+(\S+)/.exec(out)?.[1] ?? 'unknown';
}
