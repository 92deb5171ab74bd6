import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMedia } from '../../electron/core/media/process.ts';

/** Generated test clips live outside the repo and are shared by test files (keyed by name). */
export const clipDir = path.join(os.tmpdir(), 'v2m-test-clips');

/**
 * Makes a clip with ffmpeg (lavfi sources) once; later calls reuse it. Written under a temporary
 * name and renamed, so parallel test workers never see half a file.
 */
export async function makeClip(name: string, ffmpegArgs: string[]): Promise<string> {
  mkdirSync(clipDir, { recursive: true });
  const out = path.join(clipDir, name);
  if (existsSync(out)) return out;
  const ext = path.extname(name);
  const tmp = path.join(clipDir, `.${process.pid}-${Date.now()}-${path.basename(name, ext)}.tmp${ext}`);
  try {
    await runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...ffmpegArgs, tmp]);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  return out;
}

/** A clip of solid colours that change at the given times (hard cuts), with optional tone. */
export async function cutsClip(
  name: string,
  opts: { cutTimes: number[]; durationSec: number; width?: number; height?: number; fps?: number; audio?: boolean },
): Promise<string> {
  const w = opts.width ?? 320;
  const h = opts.height ?? 240;
  const fps = opts.fps ?? 25;
  const colours = ['red', 'blue', 'green', 'yellow', 'magenta', 'cyan', 'white', 'orange'];
  const bounds = [0, ...opts.cutTimes, opts.durationSec];
  const inputs: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const d = bounds[i + 1]! - bounds[i]!;
    inputs.push('-f', 'lavfi', '-i', `color=c=${colours[i % colours.length]}:s=${w}x${h}:r=${fps}:d=${d}`);
  }
  const n = bounds.length - 1;
  const concat = `${Array.from({ length: n }, (_, i) => `[${i}:v]`).join('')}concat=n=${n}:v=1:a=0[v]`;
  const audio = opts.audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${opts.durationSec}`] : [];
  return makeClip(name, [
    ...inputs,
    ...audio,
    '-filter_complex', concat,
    '-map', '[v]',
    ...(opts.audio ? ['-map', `${n}:a`, '-c:a', 'aac'] : []),
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast',
    '-t', String(opts.durationSec),
  ]);
}
