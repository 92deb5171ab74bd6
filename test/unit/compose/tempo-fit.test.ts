import { describe, expect, it } from 'vitest';
import { alignmentScore, fitTempo, sectionBoundaries, TempoMap, PPQ } from '../../../electron/core/compose/index.ts';

const on = (times: number[], strength = 0.9) => times.map((timeSec) => ({ timeSec, strength }));

describe('sectionBoundaries', () => {
  it('keeps the strong cuts that leave a minimum section on both sides', () => {
    expect(sectionBoundaries([1, 4, 5, 9, 11.5], 13, 3)).toEqual([0, 4, 9, 13]);
    expect(sectionBoundaries([], 2, 3)).toEqual([0, 2]);
  });
});

describe('alignmentScore', () => {
  it('rewards accents on beats, more on downbeats, less on eighths, nothing off the grid', () => {
    expect(alignmentScore(on([0]), 0, 10, 0.5, 0)).toBeCloseTo(1.8 * 1.5);
    expect(alignmentScore(on([0.5]), 0, 10, 0.5, 0)).toBeCloseTo(1.8);
    expect(alignmentScore(on([0.25]), 0, 10, 0.5, 0)).toBeCloseTo(0.9);
    expect(alignmentScore(on([0.125]), 0, 10, 0.5, 0)).toBeCloseTo(0.36);
    expect(alignmentScore(on([0.19]), 0, 10, 0.5, 0)).toBe(0);
    expect(alignmentScore(on([11]), 0, 10, 0.5, 0)).toBe(0);
  });
});

describe('fitTempo', () => {
  it('finds the tempo of accents on a 120 BPM grid and makes each section a whole number of beats', () => {
    const accents = on([2, 3.5, 4, 6, 7.5, 8, 9, 11]);
    const segs = fitTempo(accents, [0, 6, 12], { range: [100, 130], target: 115 });
    expect(segs).toHaveLength(2);
    for (const s of segs) {
      expect(s.bpm).toBeCloseTo(120, 6);
      expect(Number.isInteger(s.beats)).toBe(true);
      expect((s.beats * 60) / s.bpm).toBeCloseTo(s.endSec - s.startSec, 9);
    }
  });

  it('stays between 60 and 180 BPM and changes tempo only at section boundaries', () => {
    const segs = fitTempo(on([0.7, 2.9, 3.3, 5.1, 8.8]), [0, 3.3, 10], { range: [60, 180], target: 100 });
    expect(segs.map((s) => [s.startSec, s.endSec])).toEqual([[0, 3.3], [3.3, 10]]);
    for (const s of segs) {
      expect(s.bpm).toBeGreaterThanOrEqual(60);
      expect(s.bpm).toBeLessThanOrEqual(180);
    }
  });

  it('prefers a steady tempo across sections when the accents allow it', () => {
    const segs = fitTempo([], [0, 4, 8, 12, 16], { range: [90, 110], target: 100 });
    const bpms = new Set(segs.map((s) => s.bpm.toFixed(6)));
    expect(bpms.size).toBe(1);
  });

  it('keeps a locked tempo exactly and finds the phase that puts the accents on beats', () => {
    const accents = on([1.3, 2.3, 3.3, 4.3]);
    const segs = fitTempo(accents, [0, 8], { range: [60, 180], target: 100, locked: 120 });
    const body = segs[segs.length - 1]!;
    expect(body.bpm).toBe(120);
    // The first downbeat is on an accent, so all four accents are on beats.
    expect(((body.startSec - 1.3) / 0.5) % 1).toBeCloseTo(0, 9);
    expect(alignmentScore(accents, 0, 8, 0.5, body.startSec)).toBeGreaterThan(4 * 1.8 - 1e-9);
    expect(() => fitTempo(accents, [0, 8], { range: [60, 180], target: 100, locked: 20 })).toThrow("A locked tempo must be from 40 to 240 BPM (both included), got 20.");
  });
});

describe('TempoMap', () => {
  it('converts ticks and seconds both ways across tempo changes, from integer MIDI tempos', () => {
    const m = new TempoMap([{ tick: 0, usPerQuarter: 500000 }, { tick: 4 * PPQ, usPerQuarter: 600000 }]);
    expect(m.secOfTick(4 * PPQ)).toBeCloseTo(2, 12);
    expect(m.secOfTick(5 * PPQ)).toBeCloseTo(2.6, 12);
    for (const t of [0, 0.37, 2, 2.001, 7.5]) expect(m.secOfTick(m.tickOfSec(t))).toBeCloseTo(t, 9);
    expect(m.bpmAtTick(5 * PPQ)).toBe(100);
    expect(() => new TempoMap([{ tick: 10, usPerQuarter: 500000 }])).toThrow(/tick 0/);
  });
});
