import { describe, expect, it } from 'vitest';
import { blockResizeNormalize } from '../../../electron/core/audio/block-resize.ts';
import { findPeaksProminence, localMaxima, peakProminences } from '../../../electron/core/audio/find-peaks.ts';
import { odfLR } from '../../../electron/core/audio/odf-lr.ts';
import { onsetStrength } from '../../../electron/core/audio/onset-strength.ts';
import { melLR, temLR } from '../../../electron/core/audio/rhythm-lr.ts';
import { clickTrack, librosaFixtures } from './fixtures.ts';

const fx = librosaFixtures();

describe('odfLR (Diff-V2M ODF recipe)', () => {
  for (const sr of [22050, 44100] as const) {
    const f = sr === 22050 ? fx.sr22050 : fx.sr44100;
    it(`matches the Diff-V2M fixture at ${sr} Hz (peaks, prominences, per-second values)`, () => {
      const y = clickTrack(sr);
      const r = odfLR(onsetStrength(y, sr), { sampleRate: sr, samples: y.length });
      expect(Array.from(r.peaks)).toEqual(f.diffv2m_odf_peaks);
      r.prominences.forEach((p, i) => expect(Math.abs(p - f.diffv2m_odf_prominences[i]!)).toBeLessThan(1e-3 * Math.abs(f.diffv2m_odf_prominences[i]!) + 1e-4));
      expect(r.values.length).toBe(8);
      r.values.forEach((v, i) => expect(Math.abs(v - f.diffv2m_odf_per_sec[i]!)).toBeLessThan(1e-3 * f.diffv2m_odf_per_sec[i]!));
      // From librosa's own envelope: float32 arithmetic as numpy's, so near bit-equal.
      const ref = odfLR(Float32Array.from(f.onset_strength), { sampleRate: sr, samples: y.length });
      expect(Array.from(ref.peaks)).toEqual(f.diffv2m_odf_peaks);
      ref.values.forEach((v, i) => expect(Math.abs(v - f.diffv2m_odf_per_sec[i]!)).toBeLessThan(1e-5));
    });
  }

  it('crops the first second only when asked and the clip is longer than 30 s', () => {
    const env = new Float32Array(3000);
    for (let i = 50; i < env.length; i += 86) env[i] = 1; // one spike ≈ every second at 44.1 kHz / 512
    const samples = 31 * 44100;
    expect(odfLR(env, { samples }).values.length).toBe(31);
    const cropped = odfLR(env, { samples, crop30: true }).values;
    expect(cropped.length).toBe(30);
    expect(cropped[0]).toBe(odfLR(env, { samples }).values[1]);
    expect(odfLR(env, { samples: 20 * 44100, crop30: true }).values.length).toBe(20);
  });

  it('gives zeros for a flat envelope (no peaks) instead of NaN', () => {
    const r = odfLR(new Float32Array(100), { samples: 100 * 512 });
    expect(r.peaks.length).toBe(0);
    expect(Array.from(r.values).every((v) => v === 0)).toBe(true);
  });
});

describe('find_peaks with prominence (scipy semantics)', () => {
  it('finds plateau midpoints and never the ends', () => {
    expect(Array.from(localMaxima([5, 1, 3, 3, 3, 1, 4, 4, 0, 2]))).toEqual([3, 6]);
    expect(Array.from(localMaxima([0, 1, 1, 2]))).toEqual([]); // rises into the last sample
  });
  it('computes prominence against the higher of the two bases', () => {
    const x = [0, 3, 1, 2, 0.5, 4, 0];
    const peaks = localMaxima(x);
    expect(Array.from(peaks)).toEqual([1, 3, 5]);
    // scipy.signal.peak_prominences gives [2.5, 1, 4]: the right base of peak 1 is 0.5 (before the 4).
    expect(Array.from(peakProminences(x, peaks))).toEqual([2.5, 1, 4]);
    expect(Array.from(findPeaksProminence(x, 1.5).peaks)).toEqual([1, 5]);
    expect(Array.from(findPeaksProminence(x, 1).peaks)).toEqual([1, 3, 5]); // inclusive
  });
});

describe('Mel_LR / Tem_LR (Diff-V2M resize_spectrogram + normalize_tensor)', () => {
  it('block-averages with floor scale factors, drops remainders, z-scores with the sample std', () => {
    // 5 × 4 → 2 × 2: blocks of 2 rows × 2 cols; row 4 dropped.
    const x = Float32Array.from({ length: 20 }, (_, i) => i);
    const out = blockResizeNormalize(x, 5, 4, 2, 2);
    const raw = [(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4, (8 + 9 + 12 + 13) / 4, (10 + 11 + 14 + 15) / 4];
    const mean = raw.reduce((a, b) => a + b) / 4;
    const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / 3) + 1e-6;
    out.forEach((v, i) => expect(v).toBeCloseTo((raw[i]! - mean) / std, 6));
  });
  it('zero-pads when there are fewer frames than rows', () => {
    const out = blockResizeNormalize(Float32Array.from([2, 2]), 1, 2, 2, 1);
    expect(out[0]!).toBeGreaterThan(0);
    expect(out[1]!).toBeLessThan(0);
  });
  it('produces finite, z-scored [seconds × 16] features; Tem_LR peaks at the beat-period lag group', () => {
    const y = clickTrack(44100);
    const mel = melLR(y, 44100);
    const tem = temLR(y, 44100);
    expect(mel.length).toBe(8 * 16);
    expect(tem.length).toBe(8 * 16);
    for (const a of [mel, tem]) expect(Array.from(a).every(Number.isFinite)).toBe(true);
    // z-scored: mean ≈ 0
    expect(Math.abs(mel.reduce((a, b) => a + b) / mel.length)).toBeLessThan(1e-5);
    // 120 BPM at hop 128: the beat is lag 172 → lag group 7 (lags 168–191); half a beat (lag 86) is group 3.
    for (let row = 1; row < 7; row++) expect(tem[row * 16 + 7]!).toBeGreaterThan(tem[row * 16 + 3]!);
  });
  it('rejects impossible shapes', () => {
    expect(() => blockResizeNormalize(new Float32Array(8), 1, 8, 1, 16)).toThrow(/Cannot resize 8 channels/);
    expect(() => blockResizeNormalize(new Float32Array(3), 1, 4, 1, 1)).toThrow(/Expected 1×4/);
  });
});
