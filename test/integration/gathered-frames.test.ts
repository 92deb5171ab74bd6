import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisFrames, gatheredFrames, liveMediaProcessCount, probe, type VideoFrame } from '../../electron/core/media/index.ts';
import { gatherGrid, pysceneGrid } from '../../electron/core/video/scene/index.ts';
import { makeClip } from '../helpers/clips.ts';
import { pysceneResources } from '../helpers/paths.ts';

/*
 * The analysis pipes out only the pixels the OpenCV-exact downscale reads (ffmpeg `remap` after
 * the BGR conversion). These tests hold that to the full-frame decode, pixel for pixel and time
 * for time, on clips where it could go wrong: VFR, rotation, odd sizes, a delayed start, 1080p.
 */

// A '%' in the folder would be an image-sequence pattern to ffmpeg if the maps were not read as plain files.
const workDir = mkdtempSync(path.join(os.tmpdir(), 'v2m-gather-100%-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Whole {
  frames: VideoFrame[];
}

async function wholeFrames(file: string): Promise<Whole> {
  const frames: VideoFrame[] = [];
  for await (const f of analysisFrames(file, { downscale: false, pixFmt: 'bgr24' })) frames.push({ ...f, data: f.data.slice() });
  return { frames };
}

function centreSquare(f: VideoFrame): Uint8Array {
  const side = Math.min(f.width, f.height);
  const x0 = Math.floor((f.width - side) / 2);
  const y0 = Math.floor((f.height - side) / 2);
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) out.set(f.data.subarray(((y0 + y) * f.width + x0) * 3, ((y0 + y) * f.width + x0 + side) * 3), y * side * 3);
  return out;
}

async function expectSameAsWhole(file: string): Promise<{ frames: number; gatheredBytes: number; wholeBytes: number }> {
  const info = await probe(file);
  const v = info.video!;
  const whole = await wholeFrames(file);
  const grid = pysceneGrid(v.displayWidth, v.displayHeight);
  const samples: VideoFrame[] = [];
  const got: VideoFrame[] = [];
  for await (const f of gatheredFrames(file, { info, grid, workDir, samples: { intervalSec: 1, onSample: (s) => samples.push({ ...s, data: s.data.slice() }) } })) {
    got.push({ ...f, data: f.data.slice() });
  }
  expect(got.map((f) => f.ptsSec)).toEqual(whole.frames.map((f) => f.ptsSec));
  got.forEach((f, i) => {
    const expected = grid ? gatherGrid(whole.frames[i]!.data, v.displayWidth, 3, grid) : whole.frames[i]!.data;
    expect(Buffer.compare(Buffer.from(f.data), Buffer.from(expected)), `${path.basename(file)} frame ${i}`).toBe(0);
  });
  // Samples: the first frame of each second, its full-resolution centre square.
  const firstOfSecond = whole.frames.filter((f, i) => i === 0 || Math.floor(f.ptsSec) > Math.floor(whole.frames[i - 1]!.ptsSec));
  expect(samples.map((s) => s.ptsSec)).toEqual(firstOfSecond.map((f) => f.ptsSec));
  samples.forEach((s, i) => expect(Buffer.compare(Buffer.from(s.data), Buffer.from(centreSquare(firstOfSecond[i]!)))).toBe(0));
  expect(liveMediaProcessCount()).toBe(0);
  return { frames: got.length, gatheredBytes: got[0]!.data.length, wholeBytes: whole.frames[0]!.data.length };
}

describe('gathered analysis frames equal the full-frame decode', () => {
  it('1920×1080 (PySceneDetect counter.mp4): two taps per axis, a fraction of the bytes', async () => {
    const r = await expectSameAsWhole(path.join(pysceneResources, 'counter.mp4'));
    expect(r.gatheredBytes).toBeLessThan(r.wholeBytes / 10);
  });

  it('a clip whose first frame is not at 0 (delayed_start.mp4)', async () => {
    await expectSameAsWhole(path.join(pysceneResources, 'delayed_start.mp4'));
  });

  it('variable frame rate, odd sizes, rotation', async () => {
    const vfr = await makeClip('gather-vfr-1280x720.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30:d=3',
      '-vf', "select='lt(n,40)+not(mod(n,4))'", '-vsync', 'vfr',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast',
    ]);
    const odd = await makeClip('gather-odd-853x479.mkv', ['-f', 'lavfi', '-i', 'testsrc2=s=854x480:r=24:d=2', '-vf', 'scale=853:479', '-c:v', 'ffv1']);
    const plain = await makeClip('gather-plain-640x360.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast']);
    const rotated = await makeClip('gather-rotated-640x360.mp4', ['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90']);
    for (const clip of [vfr, odd, rotated]) await expectSameAsWhole(clip);
  });

  it('a small clip (no downscale) comes whole, without remap', async () => {
    const small = await makeClip('gather-small-200x120.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=200x120:r=10:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast']);
    const r = await expectSameAsWhole(small);
    expect(r.gatheredBytes).toBe(r.wholeBytes);
  });

  it('refuses a grid that does not fit the picture, before starting ffmpeg', async () => {
    const file = path.join(pysceneResources, 'delayed_start.mp4');
    const bad = { cols: Int32Array.from([0, 5, 3]), rows: Int32Array.from([0]) };
    await expect(async () => {
      for await (const _ of gatheredFrames(file, { grid: bad, workDir })) break;
    }).rejects.toThrow(/columns must ascend within 0…479; got 3 at 2/);
    const outside = { cols: Int32Array.from([0, 480]), rows: Int32Array.from([0]) };
    await expect(async () => {
      for await (const _ of gatheredFrames(file, { grid: outside, workDir })) break;
    }).rejects.toThrow(/got 480/);
    expect(liveMediaProcessCount()).toBe(0);
  });
});
