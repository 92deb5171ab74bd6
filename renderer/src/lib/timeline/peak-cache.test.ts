import { describe, expect, it } from 'vitest';
import { PeakCache } from './peak-cache.ts';
import { tickStep, ticksInRange } from './ruler-ticks.ts';

describe('the waveform pyramid from the engine', () => {
  const level = (perSecond: number, n: number) => ({ perSecond, min: new Float32Array(n).fill(-perSecond / 1000), max: new Float32Array(n).fill(perSecond / 1000) });
  const pyramid = [level(10.8, 11), level(172, 172), level(43, 43)];

  it('picks the coarsest level with at least one bucket per pixel, the finest when zoomed in past it', () => {
    const c = new PeakCache(pyramid);
    expect(c.base.perSecond).toBe(172);
    expect(c.levelFor(500).perSecond).toBe(172);
    expect(c.levelFor(100).perSecond).toBe(172);
    expect(c.levelFor(40).perSecond).toBe(43);
    expect(c.levelFor(2).perSecond).toBe(10.8);
    expect(c.levelFor(40)).toBe(c.levelFor(43));
  });

  it('refuses an empty or inconsistent pyramid', () => {
    expect(() => new PeakCache([])).toThrow(/at least one level/);
    expect(() => new PeakCache([{ perSecond: 1, min: new Float32Array(2), max: new Float32Array(3) }])).toThrow(/differ in length/);
  });
});

describe('ruler ticks', () => {
  it('labels whole seconds when zoomed out and single frames when zoomed in', () => {
    expect(tickStep(10, 30).majorSec).toBe(10);
    expect(tickStep(100, 30).majorSec).toBe(1);
    const fine = tickStep(3000, 30);
    expect(fine.majorSec).toBeCloseTo(1 / 30, 9);
    expect(fine.minorSec).toBeCloseTo(1 / 30, 9);
  });

  it('marks every fifth tick major', () => {
    const ticks = ticksInRange(0, 2, { majorSec: 1, minorSec: 0.2 });
    expect(ticks.filter((t) => t.major).map((t) => t.timeSec)).toEqual([0, 1, 2]);
    expect(ticks).toHaveLength(11);
  });
});
