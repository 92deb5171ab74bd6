import { describe, expect, it } from 'vitest';
import { parseAccents } from '../../../electron/core/eval/accents.ts';
import { syncReport } from '../../../electron/core/eval/sync-report.ts';

describe('syncReport', () => {
  const accents = [
    { time: 1.0, strength: 1 },
    { time: 2.0, strength: 3 },
    { time: 3.5, strength: 0.5 },
    { time: 7.2, strength: 2 },
  ];
  const onsets = [1.02, 1.9, 3.45, 5.0];

  it('marks hits within ±50 ms inclusive and reports the nearest offset of every accent', () => {
    const r = syncReport(accents, onsets, { durationSec: 8, tempo: 120 });
    expect(r.accents.map((a) => a.hit)).toEqual([true, false, true, false]);
    expect(r.accents[0]!.offset).toBeCloseTo(0.02, 12);
    expect(r.accents[1]!.offset).toBeCloseTo(-0.1, 12);
    expect(r.accents[2]!.offset).toBeCloseTo(-0.05, 12);
    expect(r.accents[3]!.nearestOnset).toBe(5.0);
    expect(r.hits).toBe(2);
    expect(r.hitRate).toBe(0.5);
    expect(r.weightedHitRate).toBeCloseTo(1.5 / 6.5, 12);
    expect(r.tempo).toBe(120);
    expect(r.onsetCount).toBe(4);
  });

  it('reports BCS/BHS per second with the accents as reference, and the offset distribution of the hits', () => {
    const r = syncReport(accents, onsets, { durationSec: 8, tempo: 120 });
    // gt bins 1,2,3,7; syn bins 1,3,5 → cover 3, hit 2, total 4.
    expect(r.beatScores).toMatchObject({ bcs: 0.75, bhs: 0.5, total: 4 });
    expect(r.offsets!.count).toBe(2);
    expect(r.offsets!.mean).toBeCloseTo(-0.015, 12);
    expect(r.offsets!.meanAbs).toBeCloseTo(0.035, 12);
    expect(r.offsets!.histogram.reduce((s, b) => s + b.count, 0)).toBe(3); // ±100 ms: 0.02, −0.1, −0.05
    expect(r.onsetF.recall).toBe(0.5);
  });

  it('handles no onsets and no accents without NaN', () => {
    const none = syncReport(accents, [], { durationSec: 8, tempo: 0 });
    expect(none.hits).toBe(0);
    expect(none.accents[0]!.nearestOnset).toBeNull();
    expect(none.offsets).toBeNull();
    const empty = syncReport([], onsets, { durationSec: 8, tempo: 0 });
    expect(empty.hitRate).toBe(0);
    expect(empty.beatScores).toBeNull();
  });

  it('rejects invalid accents', () => {
    expect(() => syncReport([{ time: -1, strength: 1 }], [], { durationSec: 1, tempo: 0 })).toThrow(/invalid time/);
    expect(() => syncReport([{ time: 1, strength: Number.NaN }], [], { durationSec: 1, tempo: 0 })).toThrow(/invalid strength/);
  });

  it('parses the accepted accent file shapes', () => {
    expect(parseAccents([{ time: 1, strength: 0.5 }, { time: 2 }])).toEqual([{ time: 1, strength: 0.5 }, { time: 2, strength: 1 }]);
    expect(parseAccents({ accents: [1.5] })).toEqual([{ time: 1.5, strength: 1 }]);
    // A whole rhythm plan file: accents carry timeSec and kind, other top-level keys are ignored.
    expect(
      parseAccents({ durationSec: 10, odfLR: [0, 1], accents: [{ timeSec: 1.001, strength: 0.9, kind: 'cut' }] }),
    ).toEqual([{ time: 1.001, strength: 0.9 }]);
    expect(() => parseAccents({ times: [1] })).toThrow(/Accents must be/);
  });
});
