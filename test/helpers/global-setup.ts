import { resolveBinary } from '../../electron/core/media/binaries.ts';

// Fail once, clearly, if the media tools are missing, instead of in every test.
export default function setup(): void {
  for (const tool of ['ffmpeg', 'ffprobe'] as const) {
    const bin = resolveBinary(tool);
    console.log(`[v2m tests] ${tool}: ${bin.path} (${bin.source})`);
  }
}
