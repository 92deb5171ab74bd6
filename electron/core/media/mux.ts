import { writeViaTemp } from '../files/atomic-write.ts';
import { checkWritableDestination } from '../files/output-paths.ts';
import path from 'node:path';
import { MediaError } from './errors.ts';
import { probe, type MediaInfo } from './probe.ts';
import { spawnMedia } from './process.ts';
import type { FfmpegProgress } from './progress.ts';

/** What happens to the video's own sound: dropped, mixed under the music, or kept with the music ducking under it. */
export type MixMode = 'replace' | 'mix' | 'duck';
export const MIX_MODES: readonly MixMode[] = ['replace', 'mix', 'duck'];

export interface MuxOptions {
  video: string;
  music: string;
  out: string;
  mode?: MixMode;
  /** Gain of the original sound in `mix` mode (dB). */
  originalGainDb?: number;
  audioBitrate?: string;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  info?: MediaInfo;
}

export interface MuxResult {
  path: string;
  /** The mode used (a clip without sound is always `replace`). */
  mode: MixMode;
  warnings: string[];
}

const LIMIT = 'alimiter=limit=0.891:attack=5:release=50';
/** Both sounds in one format first: the mixing filters need equal rates and layouts (a mono clip is common). */
const FORMAT = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';

/** The audio filter graph for a mode; [a] is the output. Pure, so it is unit-tested. */
export function mixFilter(mode: MixMode, originalGainDb = -6): string | null {
  if (mode === 'replace') return null;
  // amix divides by its input count (ffmpeg ≤ 4 has no normalize option): ×2 restores the levels.
  if (mode === 'mix') {
    return `[0:a:0]${FORMAT},volume=${originalGainDb}dB[o];[1:a:0]${FORMAT}[m];` +
      `[o][m]amix=inputs=2:duration=first:dropout_transition=0,volume=2,${LIMIT}[a]`;
  }
  // Duck: the original sound keys a compressor on the music, so dialogue stays on top.
  return `[0:a:0]${FORMAT},asplit=2[o][key];[1:a:0]${FORMAT}[m];` +
    `[m][key]sidechaincompress=threshold=0.02:ratio=6:attack=20:release=400[md];` +
    `[o][md]amix=inputs=2:duration=first:dropout_transition=0,volume=2,${LIMIT}[a]`;
}

/**
 * Puts the music on the video: the video stream is copied untouched, the audio is AAC, the
 * index goes to the front (+faststart) so players can start before the end has loaded. Written
 * to a temporary name in the destination folder and renamed, so a failure or cancel never
 * leaves half an MP4 under the real name.
 */
export async function muxMusic(o: MuxOptions): Promise<MuxResult> {
  const mode = o.mode ?? 'replace';
  if (!MIX_MODES.includes(mode)) throw new RangeError(`Unknown mix mode "${mode}"; use replace, mix or duck.`);
  checkWritableDestination(o.out);
  const info = o.info ?? (await probe(o.video, { signal: o.signal }));
  if (!info.video) throw new MediaError('NO_VIDEO', `${o.video} has no video stream to put music on.`);
  const warnings: string[] = [];
  let used = mode;
  if (mode !== 'replace' && info.audioStreams.length === 0) {
    warnings.push(`${path.basename(o.video)} has no sound of its own, so the music replaces it (mode "${mode}" needs original audio).`);
    used = 'replace';
  }
  const ext = path.extname(o.out).toLowerCase();
  const format = ext === '.mov' ? 'mov' : 'mp4';
  const filter = mixFilter(used, o.originalGainDb);
  await writeViaTemp(o.out, async (tmp) => {
    const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    ...(o.onProgress ? ['-progress', 'pipe:3'] : []),
    '-i', o.video, '-i', o.music,
    ...(filter ? ['-filter_complex', filter, '-map', '0:v:0', '-map', '[a]'] : ['-map', '0:v:0', '-map', '1:a:0']),
    '-c:v', 'copy', '-c:a', 'aac', '-b:a', o.audioBitrate ?? '192k', '-ar', '48000',
    '-map_metadata', '0', '-movflags', '+faststart', '-f', format, tmp,
  ];
    const proc = spawnMedia('ffmpeg', args, { signal: o.signal, onProgress: o.onProgress, durationSec: info.durationSec });
    proc.stdout.resume();
    await proc.done;
  });
  return { path: o.out, mode: used, warnings };
}
