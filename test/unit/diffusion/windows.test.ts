import { describe, expect, it } from 'vitest';
import { planWindows, stitchWindows } from '../../../electron/core/diffusion/index.ts';

describe('generation windows', () => {
  it('one window for a clip up to the trained length', () => {
    expect(planWindows(12.4, { windowSec: 30, overlapSec: 2 })).toEqual([{ startSec: 0, endSec: 12.4, joinSec: null, joinOnCut: false }]);
    expect(planWindows(30, { windowSec: 30, overlapSec: 2 })).toHaveLength(1);
  });

  it('without cuts: joins one half-crossfade before each window ends, on whole-second starts', () => {
    const w = planWindows(75, { windowSec: 30, overlapSec: 2 });
    expect(w).toEqual([
      { startSec: 0, endSec: 30, joinSec: null, joinOnCut: false },
      { startSec: 28, endSec: 58, joinSec: 29, joinOnCut: false },
      { startSec: 56, endSec: 75, joinSec: 57, joinOnCut: false },
    ]);
  });

  it('puts each join on the latest scene cut that leaves room for the crossfade', () => {
    const w = planWindows(70, { windowSec: 30, overlapSec: 2, cuts: [5, 17.3, 22.6, 29.5, 41.2, 50] });
    expect(w[1]).toEqual({ startSec: 21, endSec: 51, joinSec: 22.6, joinOnCut: true });
    expect(w[2]).toEqual({ startSec: 49, endSec: 70, joinSec: 50, joinOnCut: true });
    // Every crossfade lies inside both windows it joins, and the windows cover the clip.
    for (let k = 1; k < w.length; k++) {
      expect(w[k]!.startSec).toBeLessThanOrEqual(w[k]!.joinSec! - 1);
      expect(w[k - 1]!.startSec + 30).toBeGreaterThanOrEqual(w[k]!.joinSec! + 1);
      expect(Number.isInteger(w[k]!.startSec)).toBe(true);
    }
    expect(w.at(-1)!.endSec).toBe(70);
  });

  it('covers long clips with windows no longer than the trained length', () => {
    const w = planWindows(3600.5, { windowSec: 30, overlapSec: 2, cuts: Array.from({ length: 400 }, (_, i) => i * 9.1 + 0.3) });
    expect(w.at(-1)!.endSec).toBe(3600.5);
    for (const x of w) expect(x.endSec - x.startSec).toBeLessThanOrEqual(30);
    expect(w.filter((x) => x.joinOnCut).length).toBeGreaterThan(w.length * 0.9);
  });

  it('rejects bad settings', () => {
    expect(() => planWindows(0, { windowSec: 30, overlapSec: 2 })).toThrow(/positive/);
    expect(() => planWindows(10, { windowSec: 30, overlapSec: 20 })).toThrow(/half the window/);
  });
});

describe('stitching windows', () => {
  it('equal-power crossfade centred on the join; each window alone elsewhere', () => {
    const sr = 100;
    const w = planWindows(10, { windowSec: 6, overlapSec: 2 });
    expect(w.map((x) => [x.startSec, x.endSec, x.joinSec])).toEqual([[0, 6, null], [4, 10, 5]]);
    const a = new Float32Array(600).fill(1);
    const b = new Float32Array(600).fill(-1);
    const out = stitchWindows(w, [a, b], { sampleRate: sr, channels: 1, overlapSec: 2, totalFrames: 1000 });
    expect(out[100]).toBe(1);
    expect(out[399]).toBeCloseTo(1, 6);
    expect(out[650]).toBe(-1);
    // In the crossfade gains g_a = cos, g_b = sin: g_a² + g_b² = 1, equal at the join.
    expect(out[500]).toBeCloseTo(0, 6);
    const c = stitchWindows(w, [a, new Float32Array(600).fill(1)], { sampleRate: sr, channels: 1, overlapSec: 2, totalFrames: 1000 });
    expect(c[500]).toBeCloseTo(Math.SQRT2, 5);
    for (const f of [420, 470, 530, 580]) {
      const ga = (c[f]! + out[f]!) / 2, gb = (c[f]! - out[f]!) / 2;
      expect(ga * ga + gb * gb).toBeCloseTo(1, 5);
    }
    expect(() => stitchWindows(w, [a], { sampleRate: sr, channels: 1, overlapSec: 2, totalFrames: 1000 })).toThrow(/One audio buffer per window/);
  });
});
