import { describe, expect, it } from 'vitest';
import { frameIndexAt, mediaTimeFor, nextRate, stepFrames, type FrameGrid } from './transport.ts';

const ntsc = 30000 / 1001;
const us = (t: number): number => Math.round(t * 1e6) / 1e6;

describe('shuttle', () => {
  it('speeds up with J/L, stops with K and toggles with space', () => {
    expect(nextRate(0, 'l')).toBe(1);
    expect(nextRate(1, 'l')).toBe(2);
    expect(nextRate(8, 'l')).toBe(8);
    expect(nextRate(2, 'j')).toBe(-1);
    expect(nextRate(-1, 'j')).toBe(-2);
    expect(nextRate(-4, 'k')).toBe(0);
    expect(nextRate(0, 'space')).toBe(1);
    expect(nextRate(-2, 'space')).toBe(0);
  });
});

/** Presses → `n` times the way the editor does: step from what the media element reports. */
function press(g: FrameGrid, from: number, n: number, dir: 1 | -1): number[] {
  const seen: number[] = [];
  let t = from;
  for (let i = 0; i < n; i++) {
    t = us(mediaTimeFor(stepFrames(g, t, dir)));
    seen.push(frameIndexAt(g, t));
  }
  return seen;
}

describe('frame stepping', () => {
  it.each([['29.97', ntsc], ['23.976', 24000 / 1001], ['59.94', 60000 / 1001], ['25', 25]])('visits every frame once at %s fps, both ways', (_n, fps) => {
    const g: FrameGrid = { fps, durationSec: 60, frameTimes: null };
    const forward = press(g, 0, 600, 1);
    expect(forward).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    const back = press(g, frameStartUs(g, 600), 600, -1);
    expect(back).toEqual(Array.from({ length: 600 }, (_, i) => 599 - i));
  });

  it('steps a variable-rate clip by its own frame times', () => {
    // 1 s at 25 fps, then 1.5 s at 10 fps.
    const times = [...Array.from({ length: 25 }, (_, i) => i / 25), ...Array.from({ length: 15 }, (_, i) => 1 + i / 10)];
    const g: FrameGrid = { fps: 25, durationSec: 2.5, frameTimes: times };
    expect(press(g, 0, 39, 1)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    expect(stepFrames(g, 0.99, 1)).toBe(1);
    expect(stepFrames(g, 1.05, 1)).toBeCloseTo(1.1, 12);
    expect(stepFrames(g, 2.45, 5)).toBeCloseTo(2.4, 12);
    expect(stepFrames(g, 0, -3)).toBe(0);
  });

  it('stays inside the clip', () => {
    const g: FrameGrid = { fps: 25, durationSec: 24, frameTimes: null };
    expect(stepFrames(g, 0, -1)).toBe(0);
    expect(stepFrames(g, 23.99, 5)).toBe(599 / 25);
  });
});

function frameStartUs(g: FrameGrid, k: number): number {
  return us(mediaTimeFor(k / g.fps));
}
