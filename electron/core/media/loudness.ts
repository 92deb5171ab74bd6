import { MediaError } from './errors.ts';
import { spawnMedia } from './process.ts';
import type { FfmpegProgress } from './progress.ts';

/** ffmpeg's `ebur128` summary (ITU-R BS.1770 / EBU R128), as it prints it (0.1 precision). */
export interface Ebur128Summary {
  integratedLufs: number;
  /** The relative gate threshold used for the integrated loudness. */
  thresholdLufs: number;
  lraLu: number;
  lraLowLufs: number;
  lraHighLufs: number;
  /** True peak (dBTP) with `peak=true`, else null; −Infinity for digital silence. */
  truePeakDbtp: number | null;
}

function num(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'inf') return Infinity;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`Unexpected number "${text}" in ffmpeg's loudness summary.`);
  return v;
}

/**
 * Parses the `Summary:` block ffmpeg's ebur128 filter writes to stderr at the end. Pure, so it is
 * unit-tested against captured output; the per-frame lines before the summary are ignored.
 */
export function parseEbur128Summary(stderr: string): Ebur128Summary {
  const at = stderr.lastIndexOf('Summary:');
  if (at < 0) throw new Error('ffmpeg printed no ebur128 summary (is there an audio stream?).');
  const s = stderr.slice(at);
  const grab = (section: string, key: string, unit: string): number | null => {
    const start = s.indexOf(section);
    if (start < 0) return null;
    const re = new RegExp(`${key}:\\s*(-?inf|-?[0-9.]+)\\s*${unit}`, 'i');
    const m = re.exec(s.slice(start));
    return m ? num(m[1]!) : null;
  };
  const I = grab('Integrated loudness', 'I', 'LUFS');
  const thr = grab('Integrated loudness', 'Threshold', 'LUFS');
  const lra = grab('Loudness range', 'LRA', 'LU');
  const low = grab('Loudness range', 'LRA low', 'LUFS');
  const high = grab('Loudness range', 'LRA high', 'LUFS');
  if (I === null || thr === null || lra === null || low === null || high === null) {
    throw new Error('ffmpeg\'s ebur128 summary is incomplete; cannot read the loudness.');
  }
  return { integratedLufs: I, thresholdLufs: thr, lraLu: lra, lraLowLufs: low, lraHighLufs: high, truePeakDbtp: grab('True peak', 'Peak', 'dBFS') };
}

/** Measures a file's loudness and true peak with ffmpeg's ebur128 filter (first audio stream). */
export async function measureLoudness(
  file: string,
  opts: { signal?: AbortSignal; onProgress?: (p: FfmpegProgress) => void; durationSec?: number } = {},
): Promise<Ebur128Summary> {
  const lines: string[] = [];
  let inSummary = false;
  const proc = spawnMedia('ffmpeg', [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    ...(opts.onProgress ? ['-progress', 'pipe:3'] : []),
    '-i', file, '-map', '0:a:0', '-vn', '-sn', '-dn',
    '-af', 'ebur128=peak=true', '-f', 'null', '-',
  ], {
    signal: opts.signal,
    onProgress: opts.onProgress,
    durationSec: opts.durationSec,
    // Keep only the summary, not one line per 100 ms of audio.
    onStderrLine: (line) => {
      if (line.includes('Summary:')) inSummary = true;
      if (inSummary) lines.push(line);
    },
  });
  proc.stdout.resume();
  try {
    await proc.done;
  } catch (e) {
    if (e instanceof MediaError && e.code === 'FFMPEG_FAILED' && /matches no streams/i.test(e.message)) {
      throw new MediaError('NO_AUDIO', `${file} has no audio stream to measure.`, { cause: e });
    }
    throw e;
  }
  return parseEbur128Summary(lines.join('\n'));
}
