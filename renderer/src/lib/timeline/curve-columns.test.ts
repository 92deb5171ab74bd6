import { describe, expect, it } from 'vitest';
import { curveColumns, type Viewport } from './timeline-geometry.ts';

describe('curve placement by time', () => {
  // 10 s clip: 2 s at 30 fps, then 8 s at 10 fps (VFR) — 140 frames, which at the nominal 30 fps
  // index rate would end at 4.7 s.
  const times = [...Array.from({ length: 60 }, (_, i) => i / 30), ...Array.from({ length: 80 }, (_, i) => 2 + i / 10)];
  const values = times.map((t) => (Math.abs(t - 7) < 1e-9 ? 1 : 0.1));
  const vp: Viewport = { startSec: 0, pxPerSec: 100, widthPx: 1000, durationSec: 10 };

  it('spans the whole variable-rate clip', () => {
    const { x } = curveColumns(times, values, vp);
    expect(x[0]).toBe(0);
    expect(x[x.length - 1]).toBe(990);
  });

  it('puts a peak at the time of its own frame', () => {
    const { x, v } = curveColumns(times, values, vp);
    expect(x[v.indexOf(1)]).toBe(700);
  });

  it('keeps the largest value when frames share a pixel, and visits only the view', () => {
    const { x, v } = curveColumns([0, 0.001, 0.002, 5, 9], [0.2, 0.9, 0.3, 0.5, 0.4], { ...vp, pxPerSec: 10, widthPx: 100 });
    expect(x).toEqual([0, 50, 90]);
    expect(v).toEqual([0.9, 0.5, 0.4]);
    const zoomed = curveColumns(times, values, { ...vp, startSec: 6, widthPx: 100 });
    expect(zoomed.x.length).toBeLessThan(15);
    expect(zoomed.x[0]).toBeLessThanOrEqual(0);
  });

  it('refuses a curve whose times do not match its values', () => {
    expect(() => curveColumns([0, 1], [1], vp)).toThrow(/1 values but 2 times/);
  });
});
