/**
 * Throughput of the analysis frame stream vs. ffmpeg decoding the same clip at the same scale
 * into its null muxer. The ratio is our wrapper's overhead (goal ≤ 1.15).
 * Run: node bin/run-ts.js bench/decode.ts [--seconds 60] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { analysisFrames, analysisSize, probe, runMedia } from '../electron/core/media/index.ts';
import { benchClip, median, peakRssMB } from './bench-clips.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, runs: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
const runs = Number(values.runs);

const clip = await benchClip(1280, 720, seconds);
const info = await probe(clip);
const size = analysisSize(info.video!.displayWidth, info.video!.displayHeight);

async function ffmpegNull(): Promise<number> {
  const t0 = performance.now();
  await runMedia('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-i', clip, '-map', '0:v:0', '-an',
    '-vf', `scale=${size.width}:${size.height}:flags=bilinear,format=rgb24`, '-vsync', 'passthrough', '-f', 'null', '-',
  ]);
  return (performance.now() - t0) / 1000;
}

async function ours(): Promise<{ sec: number; frames: number }> {
  const t0 = performance.now();
  let frames = 0;
  let checksum = 0;
  for await (const f of analysisFrames(clip, { info })) {
    frames++;
    checksum += f.data[f.data.length >> 1]!; // touch the data so nothing is optimised away
  }
  if (checksum < 0) throw new Error('unreachable');
  return { sec: (performance.now() - t0) / 1000, frames };
}

const base: number[] = [];
const mine: number[] = [];
let frames = 0;
for (let i = 0; i < runs; i++) {
  base.push(await ffmpegNull());
  const r = await ours();
  mine.push(r.sec);
  frames = r.frames;
}
const b = median(base);
const m = median(mine);
console.log(`clip: ${info.video!.width}x${info.video!.height}, ${info.durationSec.toFixed(1)} s, ${info.video!.frameCount} frames → ${size.width}x${size.height} rgb24`);
console.log(`ffmpeg -f null (same scale): ${b.toFixed(2)} s   (median of ${runs})`);
console.log(`analysisFrames stream:       ${m.toFixed(2)} s   ${(frames / m).toFixed(0)} frames/s, ${frames} frames`);
console.log(`ratio ours/ffmpeg: ${(m / b).toFixed(3)}   (goal ≤ 1.15)`);
console.log(`peak RSS of this Node process: ${peakRssMB().toFixed(0)} MB`);
