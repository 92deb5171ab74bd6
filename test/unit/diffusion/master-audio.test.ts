import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWavInfo } from '../../../electron/core/compose/index.ts';
import { masterToWav } from '../../../electron/core/diffusion/master-audio.ts';
import { fitWindowAudio } from '../../../electron/core/diffusion/diffv2m-generator.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-master-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tone = (sec: number, amp: number, sr = 44100) => {
  const x = new Float32Array(2 * sec * sr);
  for (let i = 0; i < sec * sr; i++) {
    const v = amp * Math.sin((2 * Math.PI * 440 * i) / sr) * (1 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / sr));
    x[2 * i] = v;
    x[2 * i + 1] = 0.8 * v;
  }
  return x;
};

describe('mastering generated audio like the composer', () => {
  it('brings a quiet tone to −14 LUFS under a −1 dBTP ceiling and writes 24-bit WAV atomically', async () => {
    const out = path.join(dir, 'm.wav');
    const r = await masterToWav(tone(5, 0.01), { out, sampleRate: 44100 });
    expect(Math.abs(r.integratedLufs - -14)).toBeLessThan(0.1);
    expect(r.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(r.gainDb).toBeGreaterThan(20);
    expect(r.warnings).toEqual([]);
    const w = readWavInfo(out);
    expect([w.sampleRate, w.channels, w.bitsPerSample, w.frames]).toEqual([44100, 2, 24, 5 * 44100]);
    expect(readdirSync(dir)).toEqual(['m.wav']);
  });

  it('limits a loud tone and says when the music is silent', async () => {
    const loud = await masterToWav(tone(4, 0.99), { out: path.join(dir, 'l.wav'), sampleRate: 44100 });
    expect(loud.truePeakDbtp).toBeLessThanOrEqual(-1);
    const silent = await masterToWav(new Float32Array(2 * 44100), { out: path.join(dir, 's.wav'), sampleRate: 44100 });
    expect(silent.warnings).toEqual(['The music is silent; loudness normalisation was skipped.']);
  });

  it('fits decoded window audio: trims within 1 %, stretches otherwise', () => {
    const planar = Float32Array.from({ length: 2 * 1000 }, (_, i) => (i < 1000 ? i : -i));
    const trim = fitWindowAudio(planar, 1000, 2, 995);
    expect(trim.stretched).toBe(false);
    expect(Array.from(trim.audio.subarray(0, 4))).toEqual([0, -1000, 1, -1001]);
    expect(trim.audio[2 * 994]).toBe(994);
    const pad = fitWindowAudio(planar, 1000, 2, 1005);
    expect([pad.stretched, pad.audio[2 * 999], pad.audio[2 * 1000]]).toEqual([false, 999, 0]);
    const stretch = fitWindowAudio(planar, 1000, 2, 1999);
    expect(stretch.stretched).toBe(true);
    expect(stretch.audio[2 * 1998]).toBe(999);
    expect(stretch.audio[2]).toBeCloseTo(0.5, 6);
  });
});
