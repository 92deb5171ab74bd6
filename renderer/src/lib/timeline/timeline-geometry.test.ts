import { describe, expect, it } from 'vitest';
import {
  clampPxPerSec, clampStart, fitPxPerSec, indicesInRange, lowerBound, nearestIndex, pxToTime, revealTime, snapTime, snapToFrame,
  timeToPx, visibleRange, zoomAt, type Viewport,
} from './timeline-geometry.ts';

const vp: Viewport = { startSec: 10, pxPerSec: 50, widthPx: 1000, durationSec: 600 };

describe('timeline geometry', () => {
  it('maps time to pixels and back', () => {
    expect(timeToPx(12, vp)).toBe(100);
    expect(pxToTime(100, vp)).toBe(12);
    expect(pxToTime(timeToPx(37.25, vp), vp)).toBeCloseTo(37.25, 12);
  });

  it('shows the visible range clamped to the clip', () => {
    expect(visibleRange(vp)).toEqual({ startSec: 10, endSec: 30 });
    expect(visibleRange({ ...vp, startSec: 590 })).toEqual({ startSec: 590, endSec: 600 });
  });

  it('never zooms out past the whole clip nor scrolls past either end', () => {
    expect(fitPxPerSec(1200, 24)).toBe(50);
    expect(clampPxPerSec(0.1, 1200, 24)).toBe(50);
    expect(clampPxPerSec(1e9, 1200, 24)).toBe(4000);
    expect(clampStart(-3, vp)).toBe(0);
    expect(clampStart(599, vp)).toBe(580);
  });

  it('zooms around the anchor pixel', () => {
    const z = zoomAt(vp, 2, 500);
    expect(z.pxPerSec).toBe(100);
    // The time under the pointer (20 s) stays under the pointer.
    expect(pxToTime(500, z)).toBeCloseTo(20, 9);
    const out = zoomAt(vp, 1e-6, 500);
    expect(out.pxPerSec).toBeCloseTo(1000 / 600, 9);
    expect(out.startSec).toBe(0);
  });

  it('reveals a time outside the view with a margin and leaves visible ones alone', () => {
    expect(revealTime(vp, 20)).toBe(10);
    expect(revealTime(vp, 40, 40)).toBeCloseTo(40 - 960 / 50, 9);
    expect(revealTime(vp, 5, 40)).toBeCloseTo(4.2, 9);
    expect(revealTime(vp, 0.3, 40)).toBe(0);
  });

  it('finds the markers in range by binary search', () => {
    const times = [1, 2, 2, 5, 9];
    expect(lowerBound(times, 2)).toBe(1);
    expect(lowerBound(times, 10)).toBe(5);
    expect(indicesInRange(times, 2, 5)).toEqual({ from: 1, to: 4 });
    expect(indicesInRange(times, 6, 8)).toEqual({ from: 4, to: 4 });
    expect(nearestIndex(times, 4.8, 0.5)).toBe(3);
    expect(nearestIndex(times, 7, 0.5)).toBe(-1);
  });

  it('snaps to frames, to nearby targets and to a locked beat grid', () => {
    const fps = 30000 / 1001;
    expect(snapToFrame(6.01, fps)).toBe(6.006);
    expect(snapTime(6.01, { fps, pxPerSec: 100, durationSec: 24 })).toEqual({ timeSec: 6.006, kind: 'frame' });
    // A cut 5 px away pulls harder than the frame grid.
    expect(snapTime(7.05, { fps, pxPerSec: 100, durationSec: 24, targets: [7.0] })).toEqual({ timeSec: 7, kind: 'target' });
    expect(snapTime(7.2, { fps, pxPerSec: 100, durationSec: 24, targets: [7.0] }).kind).toBe('frame');
    // 120 BPM: beats every 0.5 s.
    expect(snapTime(2.46, { fps, pxPerSec: 100, durationSec: 24, bpm: 120 })).toEqual({ timeSec: 2.5, kind: 'beat' });
    expect(snapTime(30, { fps, pxPerSec: 100, durationSec: 24 }).timeSec).toBe(24);
    expect(snapTime(-1, { fps, pxPerSec: 100, durationSec: 24 }).timeSec).toBe(0);
  });
});
