import { describe, expect, it } from 'vitest';
// Test-only: the engine's own edit function checks that the edits replay to the preview.
import { applyPlanEdit } from '../../../../electron/core/store/plan-edits.ts';
import type { RhythmPlan } from '../../../../electron/shared/domain.ts';
import { accentsOfCuts, followCuts } from './linked-accents.ts';

describe('accents that belong to cuts', () => {
  const fps = 25;
  it('finds the accent on each cut, within a frame, never one accent for two cuts', () => {
    expect(accentsOfCuts([1, 6, 13], [0.5, 1, 6.04, 9], [0, 1, 2], 1 / fps)).toEqual([1, 2, -1]);
    expect(accentsOfCuts([1, 1.02], [1.01], [0, 1], 1 / fps)).toEqual([0, -1]);
  });

  it('moves a cut\u2019s accent by the same amount, with edits the engine replays', () => {
    const accents = [0.5, 1, 6, 9];
    const r = followCuts([1, 6, 13], accents, [1], 1.2, fps, 24)!;
    expect(r.times).toEqual([0.5, 1, 7.2, 9]);
    const plan: RhythmPlan = { cuts: [1, 6, 13], accents, odf: new Array<number>(24).fill(0), tempo: null };
    expect(r.edits.reduce((p, e) => applyPlanEdit(p, e, 24), plan).accents).toEqual(r.times);
    expect(followCuts([1, 6, 13], accents, [2], 1, fps, 24)).toBeNull();
  });
});
