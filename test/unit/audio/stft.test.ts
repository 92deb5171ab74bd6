import { describe, expect, it } from 'vitest';
import { PowerSpectrogramStream, stftFrameCount, type StftOptions } from '../../../electron/core/audio/stft.ts';
import { hannPeriodic, hannSymmetric } from '../../../electron/core/audio/window.ts';

/** Straight from the definition: pad, frame, window, O(N²) DFT. */
function naivePower(y: Float32Array, o: StftOptions): number[][] {
  const half = o.nFft / 2;
  let padded: number[];
  if (!o.center) padded = Array.from(y);
  else if (o.padMode === 'constant') padded = [...new Array(half).fill(0), ...y, ...new Array(half).fill(0)];
  else {
    const pre = Array.from({ length: half }, (_, i) => y[half - i]!);
    const post = Array.from({ length: half }, (_, i) => y[y.length - 2 - i]!);
    padded = [...pre, ...y, ...post];
  }
  const w = hannPeriodic(o.nFft);
  const frames = stftFrameCount(y.length, o);
  const out: number[][] = [];
  for (let t = 0; t < frames; t++) {
    const row: number[] = [];
    for (let k = 0; k <= half; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < o.nFft; n++) {
        const v = padded[t * o.hopLength + n]! * w[n]!;
        re += v * Math.cos((2 * Math.PI * k * n) / o.nFft);
        im -= v * Math.sin((2 * Math.PI * k * n) / o.nFft);
      }
      row.push(re * re + im * im);
    }
    out.push(row);
  }
  return out;
}

function streamPower(y: Float32Array, o: StftOptions, chunk: number): number[][] {
  const rows: number[][] = [];
  const s = new PowerSpectrogramStream(o, (p, f) => {
    expect(f).toBe(rows.length);
    rows.push(Array.from(p));
  });
  for (let i = 0; i < y.length; i += chunk) s.push(y.subarray(i, i + chunk));
  expect(s.finish()).toBe(rows.length);
  return rows;
}

describe('PowerSpectrogramStream', () => {
  const y = Float32Array.from({ length: 301 }, (_, i) => Math.sin(i * 0.3) + 0.3 * Math.cos(i * 1.7) + (i % 7) / 10);
  it.each([
    ['centred, zero padding (librosa)', { nFft: 64, hopLength: 16, center: true, padMode: 'constant' }],
    ['centred, reflect padding (torchaudio)', { nFft: 64, hopLength: 16, center: true, padMode: 'reflect' }],
    ['not centred', { nFft: 64, hopLength: 20, center: false, padMode: 'constant' }],
  ] as Array<[string, StftOptions]>)('%s equals the textbook STFT for any chunking', (_n, o) => {
    const want = naivePower(y, o);
    expect(want.length).toBe(stftFrameCount(y.length, o));
    for (const chunk of [1, 7, 64, 1000]) {
      const got = streamPower(y, o, chunk);
      expect(got.length).toBe(want.length);
      for (let t = 0; t < want.length; t++) for (let k = 0; k < want[t]!.length; k++) expect(Math.abs(got[t]![k]! - want[t]![k]!)).toBeLessThan(1e-9 * (1 + want[t]![k]!));
    }
  });

  it('counts frames as librosa: 1 + ⌊n/hop⌋ when centred', () => {
    expect(stftFrameCount(176400, { nFft: 2048, hopLength: 512, center: true, padMode: 'constant' })).toBe(345);
    expect(stftFrameCount(100, { nFft: 2048, hopLength: 512, center: false, padMode: 'constant' })).toBe(0);
  });

  it('rejects reflect padding on a signal too short for it, and bad sizes', () => {
    const s = new PowerSpectrogramStream({ nFft: 64, hopLength: 16, center: true, padMode: 'reflect' }, () => undefined);
    s.push(new Float32Array(20));
    expect(() => s.finish()).toThrow(/Reflect padding needs more than 32 samples/);
    expect(() => new PowerSpectrogramStream({ nFft: 100, hopLength: 16, center: true, padMode: 'constant' }, () => undefined)).toThrow(/power of two/);
  });

  it('builds the periodic and symmetric Hann windows', () => {
    const round = (a: Float64Array) => Array.from(a, (v) => Math.round(v * 1e12) / 1e12);
    expect(round(hannPeriodic(4))).toEqual([0, 0.5, 1, 0.5]);
    expect(round(hannSymmetric(5))).toEqual([0, 0.5, 1, 0.5, 0]);
  });
});
