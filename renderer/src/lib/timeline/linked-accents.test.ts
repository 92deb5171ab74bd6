import { describe, expect, it } from 'vitest';
// Test-only: the engine's own edit function checks that the edits replay to the preview.
import { applyPlanEdit } from '../../../../electron/core/store/plan-edits.ts';
import type { PlanAccent, PlanCut, RhythmPlan } from '../../../../electron/shared/domain.ts';
import { accentsOfCuts, followCuts } from './linked-accents.ts';

const cut = (id: string, timeSec: number): PlanCut => ({ id, timeSec, kind: 'detected' });
const accent = (id: string, timeSec: number, strength = 1, kind: PlanAccent['kind'] = 'cut'): PlanAccent => ({ id, timeSec, strength, kind });

describe('accents that belong to cuts', () => {
  const fps = 25;
  it('finds the accent on each cut, within a frame, never one accent for two cuts', () => {
    const cuts = [cut('c1', 1), cut('c2', 6), cut('c3', 13)];
    const accents = [accent('a1', 0.5, 0.4, 'visual-beat'), accent('a2', 1), accent('a3', 6.04), accent('a4', 9)];
    expect(accentsOfCuts(cuts, accents, ['c1', 'c2', 'c3'], 1 / fps)).toEqual(['a2', 'a3', null]);
    expect(accentsOfCuts([cut('c1', 1), cut('c2', 1.02)], [accent('a9', 1.01)], ['c1', 'c2'], 1 / fps)).toEqual(['a9', null]);
    expect(accentsOfCuts(cuts, accents, ['gone'], 1 / fps)).toEqual([null]);
  });

  it('moves a cut\u2019s accent by the same amount, by id, keeping its strength and kind', () => {
    const cuts = [cut('c1', 1), cut('c2', 6), cut('c3', 13)];
    const accents = [accent('a1', 0.5, 0.4, 'visual-beat'), accent('a2', 1), accent('a3', 6, 0.7, 'cut'), accent('a4', 9)];
    const r = followCuts(cuts, accents, ['c2'], 1.2, fps, 24)!;
    expect(r.times).toEqual([0.5, 1, 7.2, 9]);
    expect(r.edits).toEqual([{ kind: 'moveAccent', id: 'a3', toSec: 7.2 }]);
    const plan: RhythmPlan = { cuts, accents, odf: new Array<number>(24).fill(0), tempo: null };
    const after = r.edits.reduce((p, e) => applyPlanEdit(p, e, 24), plan);
    expect(after.accents.find((a) => a.id === 'a3')).toEqual({ id: 'a3', timeSec: 7.2, strength: 0.7, kind: 'cut' });
    // A cut with no accent on it moves alone.
    expect(followCuts(cuts, accents, ['c3'], 1, fps, 24)).toBeNull();
  });

  it('keeps a dragged group of cuts and their accents apart when they pass each other', () => {
    const cuts = [cut('c1', 2), cut('c2', 3)];
    const accents = [accent('a1', 2), accent('a2', 3), accent('a3', 4, 0.3, 'visual-beat')];
    const r = followCuts(cuts, accents, ['c1', 'c2'], 1, fps, 10)!;
    const plan: RhythmPlan = { cuts, accents, odf: new Array<number>(10).fill(0), tempo: null };
    const after = r.edits.reduce((p, e) => applyPlanEdit(p, e, 10), plan);
    expect(after.accents.map((a) => [a.id, a.timeSec])).toEqual([['a1', 3], ['a3', 4], ['a2', 4.04]]);
  });
});
