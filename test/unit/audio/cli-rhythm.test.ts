import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../helpers/clips.ts';
import { runV2m } from '../../helpers/cli.ts';
import { projectRoot, sharedData, testVideo } from '../../helpers/paths.ts';

const sampleWav = path.join(sharedData, 'madmom/tests/data/audio/sample.wav');
const tmp = path.join(os.tmpdir(), 'v2m-rhythm-cli');

describe('v2m rhythm', () => {
  it('prints the documented JSON for madmom’s sample.wav (relative path, as in the issue)', async () => {
    const r = await runV2m(['rhythm', path.relative(projectRoot, sampleWav), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['sampleRate', 'hopLength', 'onsetStrength', 'onsets', 'tempo', 'beats', 'odfLR', 'melLR', 'temLR']));
    expect(j.sampleRate).toBe(44100);
    expect(j.hopLength).toBe(512);
    expect(j.onsetStrength.length).toBe(1 + Math.floor(123481 / 512));
    expect(j.onsets.length).toBeGreaterThan(10);
    expect(j.onsets.every((t: number, i: number) => i === 0 || t > j.onsets[i - 1])).toBe(true);
    expect(j.tempo).toBeGreaterThan(60);
    expect(j.odfLR.length).toBe(3);
    expect(j.melLR.length).toBe(3);
    expect(j.melLR[0].length).toBe(16);
    expect(j.temLR.length).toBe(3);
  });

  it('reads the audio track of a video and prints a readable summary', async () => {
    const video = await makeClip('rhythm-video-clicks.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=4',
      '-f', 'lavfi', '-i', `aevalsrc='0.8*sin(2*PI*880*t)*exp(-mod(t,0.5)*40)':s=48000:d=4`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest',
    ]);
    const r = await runV2m(['rhythm', video, '--fast']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tempo\s+1(19|20)\.\d\d BPM/);
    expect(r.stdout).toMatch(/melLR\s+not computed/);
  });

  it.each([
    ['a video without audio', () => testVideo, /has no audio stream/],
    ['a missing file', () => path.join(tmp, 'nope.wav'), /File not found/],
  ])('fails on %s with exit code 1 and a message on stderr only', async (_n, file, message) => {
    const r = await runV2m(['rhythm', file(), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 with usage on bad arguments', async () => {
    const r = await runV2m(['rhythm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: v2m rhythm/);
  });
});

describe('v2m sync-report', () => {
  let clicks: string;
  beforeAll(async () => {
    mkdirSync(tmp, { recursive: true });
    clicks = await makeClip('sync-clicks.wav', ['-f', 'lavfi', '-i', `aevalsrc='0.8*sin(2*PI*880*t)*exp(-mod(t,0.5)*40)':s=44100:d=4`, '-c:a', 'pcm_s16le']);
  });

  it('reports every accent on a click as a hit, and one off the grid as a miss', async () => {
    const accents = path.join(tmp, 'accents.json');
    writeFileSync(accents, JSON.stringify([{ time: 1.0, strength: 1 }, { time: 2.0, strength: 2 }, { time: 2.25, strength: 1 }]));
    const r = await runV2m(['sync-report', accents, clicks, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.accents.map((a: { hit: boolean }) => a.hit)).toEqual([true, true, false]);
    expect(j.hitRate).toBeCloseTo(2 / 3, 12);
    expect(j.weightedHitRate).toBeCloseTo(3 / 4, 12);
    expect(j.beatScoresVariant).toMatch(/D2M-GAN/);
    expect(j.beatScores.bhs).toBe(1);
    expect(Math.abs(j.tempo - 120)).toBeLessThan(2.5);
    const text = await runV2m(['sync-report', accents, clicks]);
    expect(text.stdout).toMatch(/hits within ±50 ms: 2 \(66\.7%/);
    expect(text.stdout).toMatch(/missed\s+2\.250s/);
  });

  it('explains a malformed or missing accents file, and a bad --window', async () => {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, '{"times": [1, 2]}');
    const r = await runV2m(['sync-report', bad, clicks]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Accents must be a JSON array/);
    const notJson = path.join(tmp, 'not.json');
    writeFileSync(notJson, 'time,strength\n1,1\n');
    expect((await runV2m(['sync-report', notJson, clicks])).stderr).toMatch(/is not valid JSON/);
    expect((await runV2m(['sync-report', path.join(tmp, 'missing.json'), clicks])).stderr).toMatch(/Accents file not found/);
    const w = await runV2m(['sync-report', bad, clicks, '--window', 'abc']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--window must be a positive number/);
  });
});
