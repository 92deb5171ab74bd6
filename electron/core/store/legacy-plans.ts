import type { AccentKind, PlanEdit, RhythmPlan, SinglePlanEdit } from '../../shared/domain.ts';
import { applyPlanEdit } from './plan-edits.ts';

// Libraries written before schema 5 kept the plan's markers as bare times and addressed them by
// position in edits. These pure functions turn such a plan and its history into the id-based form.

/** A plan as schema 3–4 stored it. */
export interface LegacyPlan {
  cuts: number[];
  accents: number[];
  odf: number[];
  tempo: RhythmPlan['tempo'];
}

type LegacySingleEdit =
  | { kind: 'moveCut' | 'moveAccent'; index: number; toSec: number }
  | { kind: 'deleteCut' | 'deleteAccent'; index: number }
  | { kind: 'addCut' | 'addAccent'; atSec: number }
  | { kind: 'setOdf'; startIndex: number; values: number[] }
  | { kind: 'lockTempo'; bpm: number }
  | { kind: 'unlockTempo' };
export type LegacyEdit = LegacySingleEdit | { kind: 'batch'; edits: LegacySingleEdit[] };

/** Strength and kind the analysis gave each accent time; what the generators used to look up. */
export type AccentInfo = ReadonlyArray<{ timeSec: number; strength: number; kind: AccentKind }>;

const MATCH_SEC = 0.001;

export function isLegacyPlan(p: unknown): p is LegacyPlan {
  const x = p as LegacyPlan | null;
  return !!x && Array.isArray(x.cuts) && Array.isArray(x.accents) && [...x.cuts, ...x.accents].every((t) => typeof t === 'number');
}

/**
 * Ids in time order; accents take strength and kind from the analysis where one sits at the same
 * time, otherwise they are user accents of strength 1 (how the generators treated them before).
 */
export function upgradeLegacyPlan(p: LegacyPlan, known: AccentInfo = []): RhythmPlan {
  return {
    cuts: p.cuts.map((t, i) => ({ id: `c${i + 1}`, timeSec: t, kind: 'detected' as const })),
    accents: p.accents.map((t, i) => {
      const k = known.find((a) => Math.abs(a.timeSec - t) < MATCH_SEC);
      return { id: `a${i + 1}`, timeSec: t, strength: k ? k.strength : 1, kind: k ? k.kind : ('user' as const) };
    }),
    odf: [...p.odf],
    tempo: p.tempo ?? null,
  };
}

function upgradeEdit(e: LegacySingleEdit, plan: RhythmPlan): SinglePlanEdit {
  const idAt = (list: ReadonlyArray<{ id: string }>, index: number, what: string): string => {
    const m = list[index];
    if (!m) throw new Error(`${what} ${index} does not exist`);
    return m.id;
  };
  switch (e.kind) {
    case 'moveCut': return { kind: 'moveCut', id: idAt(plan.cuts, e.index, 'cut'), toSec: e.toSec };
    case 'deleteCut': return { kind: 'deleteCut', id: idAt(plan.cuts, e.index, 'cut') };
    case 'moveAccent': return { kind: 'moveAccent', id: idAt(plan.accents, e.index, 'accent'), toSec: e.toSec };
    case 'deleteAccent': return { kind: 'deleteAccent', id: idAt(plan.accents, e.index, 'accent') };
    case 'addCut': return { kind: 'addCut', atSec: e.atSec };
    case 'addAccent': return { kind: 'addAccent', atSec: e.atSec };
    default: return e;
  }
}

const sameTimes = (a: ReadonlyArray<{ timeSec: number }>, b: readonly number[]): boolean =>
  a.length === b.length && a.every((m, i) => m.timeSec === b[i]);

export interface UpgradedHistory {
  base: RhythmPlan;
  /** Each edit in id form with the plan after it, in the original order (redo stack included). */
  steps: Array<{ edit: PlanEdit; after: RhythmPlan }>;
  /** False when the recorded history could not be replayed: it is collapsed into the current plan. */
  replayed: boolean;
}

/**
 * Replays a legacy history on the upgraded base, translating each position into the id of the
 * marker that was at that position then. The replay must land on exactly the times each step
 * recorded; if it does not (a damaged history), the plan the user last saw becomes the new base.
 */
export function upgradeLegacyHistory(
  base: LegacyPlan, steps: ReadonlyArray<{ edit: LegacyEdit; after: LegacyPlan }>, current: LegacyPlan, durationSec: number, known: AccentInfo = [],
): UpgradedHistory {
  const newBase = upgradeLegacyPlan(base, known);
  try {
    let plan = newBase;
    const out: UpgradedHistory['steps'] = [];
    for (const s of steps) {
      let edit: PlanEdit;
      if (s.edit.kind === 'batch') {
        const edits: SinglePlanEdit[] = [];
        let p = plan;
        for (const sub of s.edit.edits) {
          const e = upgradeEdit(sub, p);
          edits.push(e);
          p = applyPlanEdit(p, e, durationSec);
        }
        edit = { kind: 'batch', edits };
      } else edit = upgradeEdit(s.edit, plan);
      plan = applyPlanEdit(plan, edit, durationSec);
      if (!sameTimes(plan.cuts, s.after.cuts) || !sameTimes(plan.accents, s.after.accents)) throw new Error('replay diverged');
      out.push({ edit, after: plan });
    }
    return { base: newBase, steps: out, replayed: true };
  } catch {
    return { base: upgradeLegacyPlan(current, known), steps: [], replayed: false };
  }
}
