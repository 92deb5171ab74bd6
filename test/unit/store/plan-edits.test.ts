import { describe, expect, it } from 'vitest';
import { applyPlanEdit, validatePlan } from '../../../electron/core/store/plan-edits.ts';
import { plan10s } from './store-fixtures.ts';

describe('applyPlanEdit', () => {
  it('moves, adds and deletes cuts keeping them sorted', () => {
    expect(applyPlanEdit(plan10s, { kind: 'moveCut', index: 0, toSec: 6 }, 10).cuts).toEqual([5, 6]);
    expect(applyPlanEdit(plan10s, { kind: 'addCut', atSec: 0.5 }, 10).cuts).toEqual([0.5, 2, 5]);
    expect(applyPlanEdit(plan10s, { kind: 'deleteCut', index: 1 }, 10).cuts).toEqual([2]);
  });

  it('moves, adds and deletes accents', () => {
    expect(applyPlanEdit(plan10s, { kind: 'moveAccent', index: 2, toSec: 0.25 }, 10).accents).toEqual([0.25, 1, 3.5]);
    expect(applyPlanEdit(plan10s, { kind: 'addAccent', atSec: 9.75 }, 10).accents).toEqual([1, 3.5, 7, 9.75]);
    expect(applyPlanEdit(plan10s, { kind: 'deleteAccent', index: 0 }, 10).accents).toEqual([3.5, 7]);
  });

  it('sets a run of ODF values and locks or unlocks the tempo', () => {
    const p = applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 8, values: [1, 0] }, 10);
    expect(p.odf.slice(7)).toEqual([0.7, 1, 0]);
    const locked = applyPlanEdit(plan10s, { kind: 'lockTempo', bpm: 120 }, 10);
    expect(locked.tempo).toEqual({ bpm: 120, locked: true });
    expect(applyPlanEdit(locked, { kind: 'unlockTempo' }, 10).tempo).toEqual({ bpm: 120, locked: false });
  });

  it('does not change the plan it was given', () => {
    const before = JSON.stringify(plan10s);
    applyPlanEdit(plan10s, { kind: 'addCut', atSec: 1 }, 10);
    applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 0, values: [1] }, 10);
    expect(JSON.stringify(plan10s)).toBe(before);
  });

  it('refuses edits that do not fit the plan or the clip, with a message', () => {
    expect(() => applyPlanEdit(plan10s, { kind: 'deleteCut', index: 2 }, 10)).toThrow(/no cut number 3 \(the plan has 2\)/);
    expect(() => applyPlanEdit(plan10s, { kind: 'addAccent', atSec: 10.5 }, 10)).toThrow(/outside the clip/);
    expect(() => applyPlanEdit(plan10s, { kind: 'addCut', atSec: 5 }, 10)).toThrow(/already a cut at 5 s/);
    expect(() => applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 9, values: [0.1, 0.2] }, 10)).toThrow(/outside the curve/);
    expect(() => applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 0, values: [1.5] }, 10)).toThrow(/from 0 to 1 \(both included\)/);
    expect(() => applyPlanEdit(plan10s, { kind: 'lockTempo', bpm: 1000 }, 10)).toThrow(/20–400/);
  });

  it('validates base plans', () => {
    expect(() => validatePlan(plan10s, 10)).not.toThrow();
    expect(() => validatePlan({ ...plan10s, cuts: [5, 2] }, 10)).toThrow(/strictly ascending/);
    expect(() => validatePlan({ ...plan10s, accents: [11] }, 10)).toThrow(/outside the clip/);
  });
});
