import { describe, expect, it } from 'vitest';
import { peakPick, type PeakPickParams } from '../../../electron/core/audio/peak-pick.ts';
import { librosaFixtures } from './fixtures.ts';

const ones: PeakPickParams = { preMax: 1, postMax: 1, preAvg: 1, postAvg: 1, delta: 0, wait: 0 };
const picks = (x: ArrayLike<number>, p: Partial<PeakPickParams> = {}) => Array.from(peakPick(x, { ...ones, ...p }));

/** onset_detect's normalisation, in float32 as librosa does it for a float32 envelope. */
function normalise(env: number[]): Float32Array {
  const e = Float32Array.from(env);
  let lo = Infinity;
  for (const v of e) lo = Math.min(lo, v);
  let hi = -Infinity;
  for (let i = 0; i < e.length; i++) {
    e[i] = Math.fround(e[i]! - lo);
    hi = Math.max(hi, e[i]!);
  }
  const denom = Math.fround(hi + 1.1754943508222875e-38);
  for (let i = 0; i < e.length; i++) e[i] = Math.fround(e[i]! / denom);
  return e;
}

describe('peakPick (librosa 0.11 util.peak_pick)', () => {
  it('reproduces librosa onset_detect frames on the reference click tracks', () => {
    const fx = librosaFixtures();
    // onset_detect defaults: 0.03·sr//hop, 0.1·sr//hop (+1 for post), delta 0.07.
    const cases = [
      { f: fx.sr22050, p: { preMax: 1, postMax: 1, preAvg: 4, postAvg: 5, delta: 0.07, wait: 1 } },
      { f: fx.sr44100, p: { preMax: 2, postMax: 1, preAvg: 8, postAvg: 9, delta: 0.07, wait: 2 } },
    ];
    for (const { f, p } of cases) {
      expect(Array.from(peakPick(normalise(f.onset_strength), p))).toEqual(f.onset_detect_frames);
    }
  });

  it('treats the first sample specially: no pre window, compared with its post windows only', () => {
    expect(picks([5, 1, 1, 1], { postAvg: 3, delta: 0.5 })).toEqual([0]);
    // x[0] must reach the mean of x[0:postAvg] plus delta.
    expect(picks([2, 0, 0, 0], { postAvg: 2, delta: 1 })).toEqual([0]);
    expect(picks([2, 0, 0, 0], { postAvg: 2, delta: 1.01 })).toEqual([]);
    // post_max > 1: x[0] must be the max of x[0:postMax].
    expect(picks([2, 3, 0, 0], { postMax: 2, delta: 0.1 })).toEqual([1]);
    // With post windows of 1 and delta 0, x[0] always qualifies.
    expect(picks([0, 7, 0])).toEqual([0, 1]);
  });

  it('uses half-open windows [n − pre, n + post), truncated at both ends', () => {
    // postMax 1 means the window is [n − preMax, n + 1): later samples are not looked at.
    expect(picks([0, 1, 2, 3, 0], { delta: 0.1 })).toEqual([1, 2, 3]);
    expect(picks([0, 1, 2, 3, 0], { postMax: 2, delta: 0.1 })).toEqual([3]);
    // The last sample can be a peak.
    expect(picks([0, 0, 0, 4], { delta: 0.1 })).toEqual([3]);
  });

  it('skips `wait` samples after each peak, and the first pick counts too', () => {
    const x = [3, 0, 3, 0, 3, 0, 3];
    expect(picks(x, { wait: 0 })).toEqual([0, 2, 4, 6]);
    expect(picks(x, { wait: 2 })).toEqual([0, 4]);
    expect(picks(x, { wait: 1 })).toEqual([0, 2, 4, 6]);
  });

  it('keeps plateau samples only while they clear the moving mean, and zeros are not excluded', () => {
    expect(picks([0, 2, 2, 2, 0], { delta: 0.1 })).toEqual([1]);
    expect(picks([0, 2, 2, 2, 0], { delta: 0 })).toEqual([0, 1, 2, 3]);
    expect(picks([0, 2, 2, 2, 0], { delta: 0, wait: 5 })).toEqual([0]);
    // All-zero input: x == max and x >= mean + 0 everywhere (0.11 no longer excludes zeros).
    expect(picks([0, 0, 0])).toEqual([0, 1, 2]);
    expect(picks([0, 0, 0], { delta: 0.07 })).toEqual([]);
  });

  it('adds delta as a float32, as librosa’s numba kernel declares it', () => {
    // mean 0.1 + float32(0.1) = 0.2000000015 > 0.2; in float64 it would be exactly 0.2 and pass.
    expect(picks([0, 0.2, 0], { delta: 0.1 })).toEqual([]);
    expect(picks([0, 0.2, 0], { delta: 0.0999 })).toEqual([1]);
  });

  it('accumulates the window mean in float32 for a Float32Array, in float64 otherwise', () => {
    // float32: 2^24 + 1 + 1 rounds back to 2^24, so the mean is 2^23 exactly; float64 gives 2^23 + 0.5.
    const x = [16777216, 1, 1, 16777216];
    const p = { preMax: 0, preAvg: 3, delta: 8388608 };
    expect(picks(Float32Array.from(x), p)).toEqual([3]);
    expect(picks(Float64Array.from(x), p)).toEqual([]);
  });

  it('ceils fractional window lengths (valid_int with np.ceil)', () => {
    const p = { preAvg: 0, postAvg: 1, delta: 0 }; // the mean test always passes here
    expect(picks([1, 5, 3, 1], { ...p, preMax: 0 })).toEqual([0, 1, 2, 3]);
    expect(picks([1, 5, 3, 1], { ...p, preMax: 0.2 })).toEqual([0, 1]);
  });

  it('returns nothing for empty input', () => {
    expect(picks([])).toEqual([]);
  });

  it('rejects invalid parameters with a clear message', () => {
    expect(() => peakPick([1], { ...ones, preMax: -1 })).toThrow(/preMax must be non-negative/);
    expect(() => peakPick([1], { ...ones, postMax: 0 })).toThrow(/postMax must be positive/);
    expect(() => peakPick([1], { ...ones, postAvg: 0 })).toThrow(/postAvg must be positive/);
    expect(() => peakPick([1], { ...ones, wait: -2 })).toThrow(/wait must be non-negative/);
    expect(() => peakPick([1], { ...ones, delta: -0.1 })).toThrow(/delta must be a non-negative/);
    expect(() => peakPick([1], { ...ones, preAvg: Number.NaN })).toThrow(/preAvg must be a finite/);
  });
});
