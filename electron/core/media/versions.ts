import { resolveBinary, type MediaTool } from './binaries.ts';
import { runMedia } from './process.ts';

export interface ToolVersion {
  tool: MediaTool;
  path: string;
  source: string;
  version: string;
}

/** The version line of ffmpeg or ffprobe, e.g. "4.1" or a git build id. */
export async function toolVersion(tool: MediaTool, signal?: AbortSignal): Promise<ToolVersion> {
  const bin = resolveBinary(tool);
  const out = (await runMedia(tool, ['-hide_banner', '-version'], { signal })).toString('utf8');
  const m = /version\s+(\S+)/.exec(out);
  return { tool, path: bin.path, source: bin.source, version: m?.[1] ?? 'unknown' };
}
