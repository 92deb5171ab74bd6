import { existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMedia } from '../electron/core/media/index.ts';

/** Bench clips are generated once per machine and kept outside the repo. */
export const benchDir = path.join(os.tmpdir(), 'v2m-bench');

/** A moving test pattern with hard cuts (source switches) every few seconds, plus a tone. */
export async function benchClip(width: number, height: number, seconds: number, fps = 30): Promise<string> {
  mkdirSync(benchDir, { recursive: true });
  const out = path.join(benchDir, `pattern-${width}x${height}-${seconds}s-${fps}fps.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp.mp4`;
  process.stderr.write(`generating ${path.basename(out)} (once)…\n`);
  await runMedia('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=${fps}:d=${seconds}`,
    '-f', 'lavfi', '-i', `mandelbrot=s=${width}x${height}:r=${fps}`,
    '-f', 'lavfi', '-i', `sine=frequency=220:beep_factor=4:sample_rate=44100:duration=${seconds}`,
    // Alternate between the two sources every 4 s so the clip has real cuts.
    '-filter_complex', `[1:v]trim=duration=${seconds},setpts=PTS-STARTPTS[m];[0:v][m]blend=all_expr='if(lt(mod(T,8),4),A,B)'[v]`,
    '-map', '[v]', '-map', '2:a',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-g', '60',
    '-c:a', 'aac', '-t', String(seconds),
    tmp,
  ]);
  renameSync(tmp, out);
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
