import { describe, expect, it } from 'vitest';
import { estimateBpm } from './timeline/plan-edits.ts';
import { suggestTempo } from './tempo-suggest.ts';

const grid = (bpm: number, beats: number[]): number[] => beats.map((k) => Math.round(k * (60 / bpm) * 1e6) / 1e6);

describe('suggested tempo', () => {
  it('finds the tempo whose beats the accents fall on', () => {
    expect(suggestTempo(grid(100, [0, 1, 2, 4, 5, 6, 8, 10, 11, 12]))).toBeCloseTo(100, 0);
    expect(suggestTempo(grid(128, [0, 2, 3, 4, 6, 8, 9, 12]))).toBeCloseTo(128, 0);
    expect(suggestTempo([1])).toBeNull();
  });

  it('does not jump to an unrelated tempo when one accent is added, moved or deleted', () => {
    // Accents on a 100 BPM grid, two or three beats apart.
    const accents = grid(100, [0, 2, 4, 6, 8, 11, 14, 17, 20, 22]);
    const before = suggestTempo(accents)!;
    expect(before).toBeCloseTo(100, 0);
    const edits = [
      [...accents.slice(0, 9), 12.6, accents[9]!].sort((a, b) => a - b), // one added, three beats after the last but one
      accents.filter((_, i) => i !== 2), // one deleted
      accents.map((t, i) => (i === 1 ? t - 0.3 : t)), // one moved half a beat
    ];
    for (const edited of edits) {
      expect(suggestTempo(edited, before)).toBe(before);
      // The old median-gap rule jumps between unrelated values on the same edits.
    }
    expect(edits.some((e) => estimateBpm(e) !== estimateBpm(accents))).toBe(true);
  });
});
