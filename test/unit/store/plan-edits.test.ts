import { describe, expect, it } from 'vitest';
import { applyPlanEdit, applyRecordedStep, nextMarkerId, replanPlan, validatePlan } from '../../../electron/core/store/plan-edits.ts';
import { plan10s, times } from './store-fixtures.ts';

describe('applyPlanEdit', () => {
  it('moves, adds and deletes cuts by id keeping them sorted', () => {
    expect(times(applyPlanEdit(plan10s, { kind: 'moveCut', id: 'c1', toSec: 6 }, 10).cuts)).toEqual([5, 6]);
    expect(times(applyPlanEdit(plan10s, { kind: 'addCut', atSec: 0.5 }, 10).cuts)).toEqual([0.5, 2, 5]);
    expect(applyPlanEdit(plan10s, { kind: 'deleteCut', id: 'c2' }, 10).cuts).toEqual([plan10s.cuts[0]]);
  });

  it('keeps id and kind of a moved cut; a hand-added cut is a user cut with a fresh id', () => {
    const moved = applyPlanEdit(plan10s, { kind: 'moveCut', id: 'c1', toSec: 6 }, 10);
    expect(moved.cuts[1]).toEqual({ id: 'c1', timeSec: 6, kind: 'detected' });
    expect(applyPlanEdit(plan10s, { kind: 'addCut', atSec: 0.5 }, 10).cuts[0]).toEqual({ id: 'c3', timeSec: 0.5, kind: 'user' });
    expect(applyPlanEdit(plan10s, { kind: 'addCut', atSec: 0.5, id: 'x-7', cutKind: 'edit' }, 10).cuts[0]).toEqual({ id: 'x-7', timeSec: 0.5, kind: 'edit' });
  });

  it('moves accents keeping their strength and kind, adds strong user accents, deletes by id', () => {
    const moved = applyPlanEdit(plan10s, { kind: 'moveAccent', id: 'a3', toSec: 0.25 }, 10);
    expect(moved.accents[0]).toEqual({ id: 'a3', timeSec: 0.25, strength: 1, kind: 'user' });
    const beat = applyPlanEdit(plan10s, { kind: 'moveAccent', id: 'a1', toSec: 9 }, 10);
    expect(beat.accents[2]).toEqual({ id: 'a1', timeSec: 9, strength: 0.4, kind: 'visual-beat' });
    expect(applyPlanEdit(plan10s, { kind: 'addAccent', atSec: 9.75 }, 10).accents[3]).toEqual({ id: 'a4', timeSec: 9.75, strength: 1, kind: 'user' });
    expect(applyPlanEdit(plan10s, { kind: 'addAccent', atSec: 9.75, strength: 0.3 }, 10).accents[3]!.strength).toBe(0.3);
    expect(times(applyPlanEdit(plan10s, { kind: 'deleteAccent', id: 'a1' }, 10).accents)).toEqual([3.5, 7]);
    expect(applyPlanEdit(plan10s, { kind: 'setAccentStrength', id: 'a2', strength: 0.2 }, 10).accents[1]).toEqual({ id: 'a2', timeSec: 3.5, strength: 0.2, kind: 'cut' });
  });

  it('addresses markers by id inside a batch, whatever order they end up in', () => {
    // Swap-like move: a1 jumps past a2 and a2 past a3; ids still name the same markers.
    const p = applyPlanEdit(plan10s, { kind: 'batch', edits: [
      { kind: 'moveAccent', id: 'a1', toSec: 4 },
      { kind: 'moveAccent', id: 'a2', toSec: 8 },
      { kind: 'addAccent', atSec: 0.5 },
      { kind: 'addAccent', atSec: 0.75 },
    ] }, 10);
    expect(p.accents.map((a) => `${a.id}@${a.timeSec}`)).toEqual(['a4@0.5', 'a5@0.75', 'a1@4', 'a3@7', 'a2@8']);
  });

  it('mints the next id above the highest in use', () => {
    expect(nextMarkerId(plan10s, 'c')).toBe('c3');
    expect(nextMarkerId({ ...plan10s, accents: [{ id: 'a9', timeSec: 1, strength: 1, kind: 'user' }, { id: 'imported-1', timeSec: 2, strength: 1, kind: 'user' }] }, 'a')).toBe('a10');
    expect(nextMarkerId({ ...plan10s, cuts: [] }, 'c')).toBe('c1');
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
    applyPlanEdit(plan10s, { kind: 'moveAccent', id: 'a1', toSec: 9 }, 10);
    applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 0, values: [1] }, 10);
    expect(JSON.stringify(plan10s)).toBe(before);
  });

  it('refuses edits that do not fit the plan or the clip, with a message', () => {
    expect(() => applyPlanEdit(plan10s, { kind: 'deleteCut', id: 'c3' }, 10)).toThrow(/no cut with id "c3"/);
    expect(() => applyPlanEdit(plan10s, { kind: 'moveAccent', id: 'c1', toSec: 1 }, 10)).toThrow(/no accent with id "c1"/);
    expect(() => applyPlanEdit(plan10s, { kind: 'addAccent', atSec: 10.5 }, 10)).toThrow(/outside the clip/);
    expect(() => applyPlanEdit(plan10s, { kind: 'addCut', atSec: 5 }, 10)).toThrow(/already a cut at 5 s/);
    expect(() => applyPlanEdit(plan10s, { kind: 'addCut', atSec: 6, id: 'a2' }, 10)).toThrow(/id "a2" is already used/);
    expect(() => applyPlanEdit(plan10s, { kind: 'setAccentStrength', id: 'a1', strength: 2 }, 10)).toThrow(/between 0 and 1/);
    expect(() => applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 9, values: [0.1, 0.2] }, 10)).toThrow(/outside the curve/);
    expect(() => applyPlanEdit(plan10s, { kind: 'setOdf', startIndex: 0, values: [1.5] }, 10)).toThrow(/from 0 to 1 \(both included\)/);
    expect(() => applyPlanEdit(plan10s, { kind: 'lockTempo', bpm: 1000 }, 10)).toThrow(/20–400/);
  });

  it('validates base plans', () => {
    expect(() => validatePlan(plan10s, 10)).not.toThrow();
    expect(() => validatePlan({ ...plan10s, cuts: [...plan10s.cuts].reverse() }, 10)).toThrow(/strictly ascending/);
    expect(() => validatePlan({ ...plan10s, accents: [{ id: 'a1', timeSec: 11, strength: 1, kind: 'user' }] }, 10)).toThrow(/outside the clip/);
    expect(() => validatePlan({ ...plan10s, accents: [{ ...plan10s.accents[0]!, id: 'c1' }] }, 10)).toThrow(/reuses the id "c1"/);
    expect(() => validatePlan({ ...plan10s, cuts: [{ id: 'c1', timeSec: 2, kind: 'bogus' as 'edit' }] }, 10)).toThrow(/unknown kind "bogus"/);
  });
});

describe('replanPlan (another planner\'s ODF)', () => {
  const neural = { kind: 'neural' as const, id: 'diffv2m-rhythm:p', pack: { name: 'p', version: '', randomWeights: false } };

  it('replaces only the ODF and records the planner; markers and tempo stay', () => {
    const odf = plan10s.odf.map((_, i) => i / (plan10s.odf.length - 1));
    const next = replanPlan(plan10s, { kind: 'replan', planner: neural, odf });
    expect(next).toEqual({ ...plan10s, odf, planner: neural });
  });

  it('fits the curve to the plan\'s length and range', () => {
    const n = plan10s.odf.length;
    const short = replanPlan(plan10s, { kind: 'replan', planner: neural, odf: [0.2, 1.5] });
    expect(short.odf).toEqual([0.2, ...Array(n - 1).fill(1)]);
    expect(replanPlan(plan10s, { kind: 'replan', planner: neural, odf: [...Array(n).fill(-1), 0.7] }).odf).toEqual(Array(n).fill(0));
    expect(() => replanPlan(plan10s, { kind: 'replan', planner: neural, odf: [] })).toThrow(/returned no ODF/);
    expect(() => replanPlan(plan10s, { kind: 'replan', planner: neural, odf: [NaN] })).toThrow(/non-finite/);
  });

  it('replays with the other recorded steps', () => {
    const step = { kind: 'replan' as const, planner: neural, odf: plan10s.odf.map(() => 0.5) };
    const moved = applyRecordedStep(plan10s, { kind: 'moveCut', id: 'c1', toSec: 6 }, plan10s, 10);
    expect(applyRecordedStep(moved, step, plan10s, 10)).toEqual({ ...moved, odf: step.odf, planner: neural });
    expect(applyRecordedStep(moved, { kind: 'reset' }, plan10s, 10)).toBe(plan10s);
  });
});
