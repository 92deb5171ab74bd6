import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { masterStereo, memorySource, RawStereoFile, readWavInfo, wavMonoChunks } from '../../../electron/core/mastering/index.ts';
import { measureLoudness } from '../../../electron/core/media/index.ts';

const masterToWav = (x: Float32Array, o: { out: string; sampleRate: number }) => masterStereo(memorySource(x), o);

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

describe('the one mastering every generator goes through', () => {
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

  it('meets ffmpeg\'s ebur128 reading of the file it wrote', async () => {
    const out = path.join(dir, 'e.wav');
    const r = await masterToWav(tone(6, 0.05), { out, sampleRate: 48000 });
    const ff = await measureLoudness(out);
    expect(Math.abs(ff.integratedLufs - r.integratedLufs)).toBeLessThan(0.2);
    expect(ff.truePeakDbtp).toBeLessThanOrEqual(-0.9);
  });

  it('gives stems the mix\'s gain curve, so they still sum to the mastered mix', async () => {
    const a = tone(3, 0.2), b = tone(3, 0.15).map((v, i) => (i % 2 ? -v : v));
    const mix = a.map((v, i) => v + b[i]!);
    const out = path.join(dir, 'mix.wav');
    const r = await masterStereo(memorySource(mix), {
      out, sampleRate: 44100,
      stems: [{ name: 'a', source: memorySource(a), out: path.join(dir, 'mix.a.wav') }, { name: 'b', source: memorySource(b), out: path.join(dir, 'mix.b.wav') }],
    });
    expect(Object.keys(r.stems!)).toEqual(['a', 'b']);
    const m = [...wavMonoChunks(out)], sa = [...wavMonoChunks(r.stems!.a!)], sb = [...wavMonoChunks(r.stems!.b!)];
    let worst = 0;
    for (let c = 0; c < m.length; c++) for (let i = 0; i < m[c]!.length; i++) worst = Math.max(worst, Math.abs(m[c]![i]! - sa[c]![i]! - sb[c]![i]!));
    expect(worst).toBeLessThan(3 / 8388607); // 24-bit rounding of three files
  });

  it('masters a raw file source exactly as the same audio in memory', async () => {
    const x = tone(2, 0.03);
    const raw = new RawStereoFile(path.join(dir, 'x.f32'));
    raw.append(x.subarray(0, 30000));
    raw.append(x.subarray(30000));
    const fromFile = await masterStereo(raw, { out: path.join(dir, 'f.wav'), sampleRate: 44100 });
    raw.close();
    const fromMemory = await masterToWav(x, { out: path.join(dir, 'g.wav'), sampleRate: 44100 });
    expect(fromFile.gainDb).toBe(fromMemory.gainDb);
    expect(readFileSync(path.join(dir, 'f.wav')).equals(readFileSync(path.join(dir, 'g.wav')))).toBe(true);
  });

  it('aims the gain before writing, so a beat the limiter works hard on is mastered in one or two passes', async () => {
    // A kick every quarter second over a pad, limited by up to ~3.7 dB: re-aiming after each
    // written pass alone took four passes.
    const sr = 44100, x = new Float32Array(2 * 8 * sr);
    for (let i = 0; i < 8 * sr; i++) {
      const t = i / sr, k = i % 11025;
      const kick = 0.9 * Math.exp(-k / 1500) * Math.sin(2 * Math.PI * 55 * (k / sr) * (1 + 2 * Math.exp(-k / 600)));
      const pad = 0.08 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 331 * t + 1) + 0.5 * Math.sin(2 * Math.PI * 3520 * t));
      x[2 * i] = kick + pad;
      x[2 * i + 1] = kick + 0.9 * pad;
    }
    const r = await masterToWav(x, { out: path.join(dir, 'k.wav'), sampleRate: sr });
    expect(Math.abs(r.integratedLufs - -14)).toBeLessThanOrEqual(0.05);
    expect(r.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(r.limiterReductionDb).toBeGreaterThan(1);
    expect(r.masteringPasses).toBeLessThanOrEqual(2);
    expect(r.warnings).toEqual([]);
  });

  it('does not crush spiky audio chasing loudness: the shortfall is reported', async () => {
    const x = new Float32Array(2 * 44100 * 4);
    for (let i = 0; i < x.length / 2; i += 22050) x[2 * i] = x[2 * i + 1] = 0.9; // clicks
    const r = await masterToWav(x, { out: path.join(dir, 'c.wav'), sampleRate: 44100 });
    expect(r.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(r.limiterReductionDb).toBeLessThanOrEqual(12.5);
    expect(r.warnings.some((w) => /LUFS, not -14 LUFS/.test(w))).toBe(true);
  });

  it('counts the longest silence before the fade, not the fade itself', async () => {
    const x = tone(4, 0.1);
    x.fill(0, 2 * 44100, 2 * 44100 * 2); // 1 s of silence from 1 s
    const r = await masterStereo(memorySource(x), { out: path.join(dir, 's2.wav'), sampleRate: 44100, fadeFrames: 44100 });
    expect(r.longestSilenceSec).toBeGreaterThanOrEqual(0.9);
    expect(r.longestSilenceSec).toBeLessThanOrEqual(1.0);
    await expect(masterStereo(memorySource(new Float32Array(0)), { out: path.join(dir, 'z.wav'), sampleRate: 44100 })).rejects.toThrow(/no audio to master/);
  });
});
