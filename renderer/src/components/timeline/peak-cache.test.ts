import { describe, expect, it } from 'vitest';
import { PeakCache, peaksFromSamples } from './peak-cache.ts';
import { tickStep, ticksInRange } from './ruler-ticks.ts';

describe('peak cache per zoom level', () => {
  const n = 1000;
  const min = Float32Array.from({ length: n }, (_, i) => -((i % 10) / 10));
  const max = Float32Array.from({ length: n }, (_, i) => (i % 7) / 7);

  it('picks about one bucket per pixel and caches each level once', () => {
    const c = new PeakCache(min, max, 100);
    expect(PeakCache.factorFor(100, 200)).toBe(1);
    expect(PeakCache.factorFor(100, 30)).toBe(2);
    expect(PeakCache.factorFor(100, 10)).toBe(8);
    const l = c.levelFor(10);
    expect(l.perSecond).toBe(12.5);
    expect(l.min.length).toBe(125);
    expect(c.levelFor(10)).toBe(l);
    expect(c.cachedLevels).toBe(2);
  });

  it('keeps the extremes of the merged buckets', () => {
    const l = new PeakCache(min, max, 100).levelFor(25);
    for (let i = 0; i < l.min.length; i++) {
      const a = min.slice(i * 4, i * 4 + 4);
      const b = max.slice(i * 4, i * 4 + 4);
      expect(l.min[i]).toBe(Math.min(...a));
      expect(l.max[i]).toBe(Math.max(...b));
    }
  });

  it('reduces decoded PCM to mono min/max', () => {
    const left = Float32Array.from([0, 1, 0, -1, 0.5, 0.5]);
    const right = Float32Array.from([0, -1, 0, -1, 0.5, 0.5]);
    const p = peaksFromSamples([left, right], 6, 3);
    expect(Array.from(p.min)).toEqual([0, -1, 0.5]);
    expect(Array.from(p.max)).toEqual([0, 0, 0.5]);
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
