import { describe, expect, it } from 'vitest';
import { WaveformPeaksBuilder } from '../../../electron/core/video/waveform-peaks.ts';

function signal(frames: number, channels: number): Float32Array {
  const x = new Float32Array(frames * channels);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.0137) * Math.cos(i * 0.00091) + (i % 97 === 0 ? 0.3 : 0);
  return x;
}

function naive(x: Float32Array, channels: number, spb: number): { min: number[]; max: number[] } {
  const frames = x.length / channels;
  const min: number[] = [], max: number[] = [];
  for (let b = 0; b * spb < frames; b++) {
    let lo = Infinity, hi = -Infinity;
    for (let f = b * spb; f < Math.min(frames, (b + 1) * spb); f++) {
      for (let c = 0; c < channels; c++) {
        lo = Math.min(lo, x[f * channels + c]!);
        hi = Math.max(hi, x[f * channels + c]!);
      }
    }
    min.push(lo);
    max.push(hi);
  }
  return { min, max };
}

describe('WaveformPeaksBuilder', () => {
  it('matches a direct min/max per bucket at every level, whatever the chunking', () => {
    const ch = 2;
    const x = signal(100_003, ch); // not a multiple of any bucket size
    for (const chunk of [100_003, 4096, 333]) {
      const b = new WaveformPeaksBuilder(22050, ch, 256, 4, 3);
      for (let f = 0; f < 100_003; f += chunk) b.push(x.subarray(f * ch, Math.min(100_003, f + chunk) * ch));
      const peaks = b.finish();
      expect(peaks.frames).toBe(100_003);
      expect(peaks.levels.map((l) => l.samplesPerBucket)).toEqual([256, 1024, 4096]);
      for (const l of peaks.levels) {
        const ref = naive(x, ch, l.samplesPerBucket);
        expect(Array.from(l.min)).toEqual(ref.min.map(Math.fround));
        expect(Array.from(l.max)).toEqual(ref.max.map(Math.fround));
      }
    }
  });

  it('gives empty levels for no audio and validates its settings', () => {
    const peaks = new WaveformPeaksBuilder(8000, 1).finish();
    expect(peaks.frames).toBe(0);
    expect(peaks.levels.every((l) => l.min.length === 0)).toBe(true);
    expect(() => new WaveformPeaksBuilder(8000, 0)).toThrow(/channels/);
    expect(() => new WaveformPeaksBuilder(8000, 1, 256, 1)).toThrow(/factor/);
    expect(() => new WaveformPeaksBuilder(8000, 2).push(new Float32Array(3))).toThrow(/whole number of 2-channel frames/);
  });
});
