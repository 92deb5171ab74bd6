import { describe, expect, it } from 'vitest';
import {
  AdaptiveDetector,
  bgrToHsv,
  ContentDetector,
  EdgeMapper,
  estimatedKernelSize,
  medianU8,
  cannyThresholds,
} from '../../../electron/core/video/scene/index.ts';
import { lcgBytes as noise } from '../../helpers/noise.ts';

const W = 32;
const H = 16;

function solid(b: number, g: number, r: number, w = W, h = H): Uint8Array {
  const f = new Uint8Array(w * h * 3);
  for (let i = 0; i < f.length; i += 3) {
    f[i] = b;
    f[i + 1] = g;
    f[i + 2] = r;
  }
  return f;
}
const RED = solid(0, 0, 255); // HSV (0, 255, 255)
const BLUE = solid(255, 0, 0); // HSV (120, 255, 255): content_val vs red = 120 / 3 = 40
const grey = (v: number) => solid(v, v, v);

/** Feeds frames (index i at time 0.5 + 0.04 i) and returns the finished cuts. */
function feed(det: ContentDetector | AdaptiveDetector, frames: Uint8Array[], w = W, h = H) {
  frames.forEach((f, i) => det.process(i, 0.5 + 0.04 * i, f, w, h));
  return det.finish();
}


describe('ContentDetector', () => {
  it('scores the mean H, S, V differences and cuts at ≥ threshold, with the frame time', () => {
    const frames = [...Array(20).fill(RED), ...Array(20).fill(BLUE)];
    const det = new ContentDetector();
    const cuts = feed(det, frames);
    expect(cuts).toEqual([{ frame: 20, timeSec: 0.5 + 0.04 * 20, score: 40 }]);
    const cv = det.contentValues();
    expect(cv.length).toBe(40);
    expect(cv[20]).toBe(40);
    expect(cv.reduce((a, b) => a + b, 0)).toBe(40);
    expect(det.frameTimes()[39]).toBeCloseTo(0.5 + 0.04 * 39, 12);
    // Threshold is inclusive: exactly 40 still cuts, just above does not.
    expect(feed(new ContentDetector({ threshold: 40 }), frames).map((c) => c.frame)).toEqual([20]);
    expect(feed(new ContentDetector({ threshold: 40.001 }), frames)).toEqual([]);
  });

  it('matches a content_val computed independently from bgrToHsv on noisy frames', () => {
    const det = new ContentDetector({ threshold: 255 });
    const frames = [0, 1, 2, 3].map((s) => noise(W * H * 3, s + 10));
    feed(det, frames);
    const cv = det.contentValues();
    for (let i = 1; i < frames.length; i++) {
      const a = bgrToHsv(frames[i - 1]!, W, H);
      const b = bgrToHsv(frames[i]!, W, H);
      const mean = (x: Uint8Array, y: Uint8Array) => x.reduce((s, v, k) => s + Math.abs(v - y[k]!), 0) / (W * H);
      expect(cv[i]).toBe((mean(b.hue, a.hue) + mean(b.sat, a.sat) + mean(b.val, a.val)) / 3);
    }
  });

  it('enforces min_scene_len from the first frame; a dropped change still moves the filter', () => {
    // Changes at 10 (too close to frame 0: dropped), 30 (20 after 10: cut), 35 (too close: merged,
    // never released because the video ends inside the merge window).
    const frames = [...Array(10).fill(RED), ...Array(20).fill(BLUE), ...Array(5).fill(RED), ...Array(10).fill(BLUE)];
    expect(feed(new ContentDetector(), frames).map((c) => c.frame)).toEqual([30]);
    expect(feed(new ContentDetector({ minSceneLen: 5 }), frames).map((c) => c.frame)).toEqual([10, 30, 35]);
    expect(feed(new ContentDetector({ minSceneLen: 0 }), frames).map((c) => c.frame)).toEqual([10, 30, 35]);
    expect(feed(new ContentDetector({ filterMode: 'suppress' }), frames).map((c) => c.frame)).toEqual([30]);
  });

  it('MERGE reports a flash burst as one cut at its last frame', () => {
    // Cut at 20; then every frame from 21 to 40 changes colour: one merged cut at the last
    // change (40), released 15 quiet frames later.
    const frames: Uint8Array[] = [...Array(20).fill(RED)];
    for (let i = 20; i <= 40; i++) frames.push(i % 2 ? RED : BLUE);
    frames.push(...Array(20).fill(frames[40]!));
    const cuts = feed(new ContentDetector(), frames).map((c) => c.frame);
    expect(cuts).toEqual([20, 40]);
  });

  it('luma_only and custom weights change the score', () => {
    const dark = solid(0, 0, 100); // HSV (0, 255, 100)
    expect(feed(new ContentDetector({ lumaOnly: true }), [...Array(16).fill(RED), ...Array(4).fill(BLUE)])).toEqual([]);
    const det = new ContentDetector({ lumaOnly: true });
    expect(feed(det, [...Array(16).fill(RED), ...Array(4).fill(dark)]).map((c) => [c.frame, c.score])).toEqual([[16, 155]]);
    const hueOnly = new ContentDetector({ weights: { deltaSat: 0, deltaLum: 0 } });
    feed(hueOnly, [RED, BLUE]);
    expect(hueOnly.contentValues()[1]).toBe(120);
  });

  it('scores edges when weighted: Canny on a step edge, dilated by the 5×5 kernel', () => {
    const step = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = W / 2; x < W; x++) step.fill(255, (y * W + x) * 3, (y * W + x) * 3 + 3);
    // One edge column (x = 15: m > left, m ≥ right wins over x = 16), grown to x = 13..17.
    const lum = bgrToHsv(step, W, H).val;
    const edges = new EdgeMapper(W, H).compute(lum);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) expect(edges[y * W + x], `${x},${y}`).toBe(x >= 13 && x <= 17 ? 255 : 0);
    }
    const det = new ContentDetector({ weights: { deltaHue: 0, deltaSat: 0, deltaLum: 0, deltaEdges: 1 }, threshold: 30, minSceneLen: 0 });
    const cuts = feed(det, [grey(128), step, step]);
    // 5 columns × 16 rows of 255 over 32 × 16 pixels.
    expect(det.contentValues()[1]).toBe((5 * 255) / 32);
    expect(cuts.map((c) => c.frame)).toEqual([1]);
    // A larger kernel grows the band.
    const det7 = new ContentDetector({ weights: { deltaHue: 0, deltaSat: 0, deltaLum: 0, deltaEdges: 1 }, kernelSize: 7 });
    feed(det7, [grey(128), step]);
    expect(det7.contentValues()[1]).toBe((7 * 255) / 32);
  });

  it('records the components only when asked', () => {
    const plain = new ContentDetector();
    feed(plain, [RED, BLUE]);
    expect(plain.components()).toBeNull();
    const rec = new ContentDetector({ recordComponents: true });
    feed(rec, [RED, BLUE]);
    const c = rec.components()!;
    expect([c.deltaHue[1], c.deltaSat[1], c.deltaLum[1], c.deltaEdges[1]]).toEqual([120, 0, 0, 0]);
    expect(rec.contentValues()[1]).toBe(40); // edges computed but weighted 0
  });

  it('rejects bad frames, out-of-order frames and bad options', () => {
    const det = new ContentDetector();
    expect(() => det.process(0, 0, new Uint8Array(5), W, H)).toThrow(/holds 5 bytes/);
    expect(() => det.process(0, 0, new Uint8Array(0), 0, 0)).toThrow(/positive whole numbers/);
    det.process(0, 0, RED, W, H);
    expect(() => det.process(1, 0.04, solid(0, 0, 0, 16, 8), 16, 8)).toThrow(/size changed from 32×16 to 16×8/);
    expect(() => det.process(2, 0.08, RED, W, H)).toThrow(/expected frame 1, got 2/);
    expect(() => det.process(1, Number.NaN, RED, W, H)).toThrow(/no valid time/);
    det.process(1, 0.04, RED, W, H);
    det.finish();
    expect(() => det.process(2, 0.08, RED, W, H)).toThrow(/has finished/);
    expect(() => new ContentDetector({ threshold: Number.NaN })).toThrow(/threshold/);
    expect(() => new ContentDetector({ minSceneLen: -1 })).toThrow(/min_scene_len/);
    expect(() => new ContentDetector({ kernelSize: 4 })).toThrow(/kernelSize/);
    expect(() => new ContentDetector({ weights: { deltaHue: 0, deltaSat: 0, deltaLum: 0 } })).toThrow(/non-zero/);
    expect(() => new ContentDetector({ weights: { deltaHue: Number.POSITIVE_INFINITY } })).toThrow(/finite/);
  });
});

describe('edge-map helpers', () => {
  it('kernel size, median and thresholds follow PySceneDetect', () => {
    expect(estimatedKernelSize(256, 144)).toBe(5);
    expect(estimatedKernelSize(256, 256)).toBe(5);
    expect(estimatedKernelSize(32, 16)).toBe(5); // 4 + 0 → odd
    expect(estimatedKernelSize(333, 267)).toBe(7); // 4 + round(1.55)
    expect(medianU8(Uint8Array.from([9, 1, 5]))).toBe(5);
    expect(medianU8(Uint8Array.from([0, 255]))).toBe(127.5);
    expect(cannyThresholds(127.5)).toEqual({ low: 85, high: 170 });
    expect(cannyThresholds(250)).toEqual({ low: 166, high: 255 });
    expect(() => medianU8(new Uint8Array(0))).toThrow(/empty/);
    expect(() => new EdgeMapper(0, 4)).toThrow(/positive/);
    expect(() => new EdgeMapper(4, 4, 2)).toThrow(/odd/);
  });
});

describe('AdaptiveDetector', () => {
  /**
   * Grey frames oscillating by ±`amp` around 100 (content_val = amp / 3, as H and S stay 0), with
   * signed jumps at chosen steps: `jumps[k]` replaces step k (frame k + 1).
   */
  function ramp(count: number, amp: number, jumps: Record<number, number>): Uint8Array[] {
    let v = 100;
    const out = [grey(v)];
    for (let k = 0; k + 1 < count; k++) {
      v += jumps[k] ?? (k % 2 ? -amp : amp);
      if (v < 0 || v > 255) throw new Error(`ramp left 0..255 at step ${k}`);
      out.push(grey(v));
    }
    return out;
  }

  it('cuts where content_val stands out from its ±2 neighbours, reported 2 frames late', () => {
    // content_val: 0, then 1 each frame, with 20 at frame 20 (ratio 20) and 12 at frame 40
    // (ratio 12, but below min_content_val 15).
    const det = new AdaptiveDetector();
    const emitted: number[] = [];
    const frames = ramp(60, 3, { 19: 60, 39: -36 });
    frames.forEach((f, i) => {
      const before = det.cuts().length;
      det.process(i, i / 25, f, W, H);
      if (det.cuts().length > before) emitted.push(i);
    });
    const cuts = det.finish();
    expect(cuts).toEqual([{ frame: 20, timeSec: 20 / 25, score: 20 }]);
    expect(emitted).toEqual([22]);
    const ratios = det.adaptiveRatios();
    expect(ratios.length).toBe(60);
    expect([ratios[0], ratios[1], ratios[58], ratios[59]].every(Number.isNaN)).toBe(true);
    expect(ratios[2]).toBe(1 / ((0 + 1 + 1 + 1) / 4)); // frame 0 scores 0 and counts
    expect(ratios[40]).toBe(12);
    expect(ratios[19]).toBe(1 / ((1 + 1 + 20 + 1) / 4));
  });

  it('needs ratio ≥ adaptive_threshold as well as content_val ≥ min_content_val', () => {
    // content_val 9 everywhere and 20 at frame 20: ratio 20 / 9 < 3.
    const frames = ramp(40, 27, { 19: 60 });
    expect(feed(new AdaptiveDetector(), frames)).toEqual([]);
    expect(feed(new AdaptiveDetector({ adaptiveThreshold: 2 }), frames).map((c) => c.frame)).toEqual([20]);
    expect(feed(new AdaptiveDetector({ adaptiveThreshold: 2, minContentVal: 21 }), frames)).toEqual([]);
  });

  it('gives ratio 255 over a still neighbourhood and measures min_scene_len from the current frame', () => {
    // Blue from frame 13: target 13 is judged at frame 15, and 15 − 0 ≥ 15, so it is accepted
    // (the ContentDetector would drop it: 13 < 15).
    const frames = [...Array(13).fill(RED), ...Array(10).fill(BLUE)];
    const det = new AdaptiveDetector();
    expect(feed(det, frames)).toEqual([{ frame: 13, timeSec: 0.5 + 0.04 * 13, score: 255 }]);
    expect(feed(new ContentDetector(), frames)).toEqual([]);
    expect(feed(new AdaptiveDetector(), [...Array(12).fill(RED), ...Array(10).fill(BLUE)])).toEqual([]);
    // Wider window: lag 3, same cut.
    expect(feed(new AdaptiveDetector({ windowWidth: 3 }), [...Array(20).fill(RED), ...Array(10).fill(BLUE)]).map((c) => c.frame)).toEqual([20]);
    // The last window_width frames can never be targets.
    expect(feed(new AdaptiveDetector(), [...Array(20).fill(RED), ...Array(2).fill(BLUE)])).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => new AdaptiveDetector({ windowWidth: 0 })).toThrow(/windowWidth/);
    expect(() => new AdaptiveDetector({ minSceneLen: 2.5 })).toThrow(/min_scene_len/);
    expect(() => new AdaptiveDetector({ adaptiveThreshold: Number.NaN })).toThrow(/adaptiveThreshold/);
    expect(() => new AdaptiveDetector({ minContentVal: Number.NaN })).toThrow(/minContentVal/);
  });
});
