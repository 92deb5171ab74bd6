import { describe, expect, it } from 'vitest';
import { hannWindow, quantile, smoothCentred, visualRhythm, DEFAULT_VISUAL_RHYTHM_PARAMS } from '../../../electron/core/video/visual-rhythm.ts';
import { lumaFromBgr, meanAbsDifference } from '../../../electron/core/video/luma-difference.ts';

describe('hannWindow', () => {
  it('is odd, symmetric, positive and sums to 1', () => {
    for (const [sec, fps] of [[0.2, 30], [0.2, 25], [0.5, 60], [0.01, 30]] as const) {
      const w = hannWindow(sec, fps);
      expect(w.length % 2).toBe(1);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (let i = 0; i < w.length; i++) {
        expect(w[i]).toBeGreaterThan(0);
        expect(w[i]).toBeCloseTo(w[w.length - 1 - i]!, 15);
      }
    }
    expect(hannWindow(0.2, 30).length).toBe(7); // round(6) → 7 (odd)
    expect(Array.from(hannWindow(0, 30))).toEqual([1]);
  });

  it('peaks in the middle: [0.25, 0.5, 0.25] for three taps', () => {
    const w = hannWindow(0.1, 30); // round(3) = 3
    expect(Array.from(w).map((v) => +v.toFixed(12))).toEqual([0.25, 0.5, 0.25]);
  });
});

describe('smoothCentred', () => {
  it('keeps a constant constant, including at the truncated edges', () => {
    const out = smoothCentred(new Float64Array(10).fill(3), hannWindow(0.3, 30));
    for (const v of out) expect(v).toBeCloseTo(3, 12);
  });

  it('spreads an impulse into the window, centred on it', () => {
    const x = new Float64Array(11);
    x[5] = 1;
    const w = Float64Array.from([0.25, 0.5, 0.25]);
    expect(Array.from(smoothCentred(x, w))).toEqual([0, 0, 0, 0, 0.25, 0.5, 0.25, 0, 0, 0, 0]);
  });

  it('renormalises at the edge: an impulse at 0 keeps weight 0.5/0.75', () => {
    const x = Float64Array.from([1, 0, 0]);
    const out = smoothCentred(x, Float64Array.from([0.25, 0.5, 0.25]));
    expect(out[0]).toBeCloseTo(0.5 / 0.75, 12);
    expect(out[1]).toBeCloseTo(0.25, 12);
  });
});

describe('quantile', () => {
  it('interpolates linearly like numpy.quantile', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile(Array.from({ length: 101 }, (_, i) => 100 - i), 0.95)).toBeCloseTo(95, 12);
    expect(quantile([5, 1, 3], 0)).toBe(1);
    expect(quantile([5, 1, 3], 1)).toBe(5);
    expect(quantile([2, NaN, 4], 0.5)).toBe(3);
    expect(quantile([], 0.5)).toBe(0);
    expect(() => quantile([1], 1.5)).toThrow(/q must be in/);
  });
});

describe('visualRhythm', () => {
  it('is all zero for a still clip (nothing above minMotion)', () => {
    const r = visualRhythm(new Float32Array(100).fill(0.01), 25);
    expect(r.curve.every((v) => v === 0)).toBe(true);
    expect(r.scaled.every((v) => v === 0)).toBe(true);
  });

  it('scales by the robust maximum and clips only the curve', () => {
    // Steady motion of 2 levels with one hard cut of 80 levels at frame 50.
    const d = new Float32Array(200).fill(2);
    d[0] = 0;
    d[50] = 80;
    const r = visualRhythm(d, 25, { ...DEFAULT_VISUAL_RHYTHM_PARAMS, smoothSec: 0 });
    // 95th percentile of the (unsmoothed) values is 2, so steady motion is 1.0 and the cut 40.
    expect(r.scaled[10]).toBeCloseTo(1, 12);
    expect(r.scaled[50]).toBeCloseTo(40, 12);
    expect(r.curve[50]).toBe(1);
    expect(r.curve[0]).toBe(0);
    expect(Math.max(...r.curve)).toBe(1);
  });

  it('smooths before scaling: a cut becomes a symmetric bump centred on its frame', () => {
    const d = new Float32Array(100).fill(1);
    d[40] = 50;
    const r = visualRhythm(d, 30);
    let argmax = 0;
    for (let i = 0; i < r.scaled.length; i++) if (r.scaled[i]! > r.scaled[argmax]!) argmax = i;
    expect(argmax).toBe(40);
    expect(r.scaled[39]).toBeCloseTo(r.scaled[41]!, 12);
    expect(r.scaled[39]).toBeLessThan(r.scaled[40]!);
  });

  it('rejects a bad frame rate', () => {
    expect(() => visualRhythm([1, 2], 0)).toThrow(/fps must be a positive number/);
  });
});

describe('luma difference', () => {
  it('uses integer BT.601 weights on BGR', () => {
    // Pure blue, green, red, white, black.
    const bgr = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0]);
    expect(Array.from(lumaFromBgr(bgr))).toEqual([29, 149, 77, 255, 0]);
  });

  it('is the mean absolute difference and checks sizes', () => {
    expect(meanAbsDifference(Uint8Array.from([0, 10, 200]), Uint8Array.from([5, 0, 100]))).toBeCloseTo(115 / 3, 12);
    expect(() => meanAbsDifference(new Uint8Array(2), new Uint8Array(3))).toThrow(/differ in size/);
  });
});
