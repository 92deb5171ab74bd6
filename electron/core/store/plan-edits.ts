import type { PlanEdit, RhythmPlan } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';

function bad(message: string): StoreError {
  return new StoreError('BAD_EDIT', message);
}

function checkIndex(list: number[], index: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw bad(`There is no ${what} number ${index + 1} (the plan has ${list.length}).`);
  }
}

function checkTime(t: number, durationSec: number): void {
  if (!Number.isFinite(t) || t < 0 || t > durationSec) throw bad(`Time ${t} s is outside the clip (0–${durationSec.toFixed(3)} s).`);
}

/** Inserts keeping ascending order; an exact duplicate time is refused so markers stay distinct. */
function insertSorted(list: number[], t: number, what: string): number[] {
  if (list.includes(t)) throw bad(`There is already a ${what} at ${t} s.`);
  const out = [...list, t];
  out.sort((a, b) => a - b);
  return out;
}

/**
 * The plan after one edit. Pure: the store persists the result and the edit together, and the
 * same function replays history in tests.
 */
export function applyPlanEdit(plan: RhythmPlan, edit: PlanEdit, durationSec: number): RhythmPlan {
  switch (edit.kind) {
    case 'batch':
      // Each edit sees the plan the previous one left; one failure refuses the whole batch.
      return edit.edits.reduce((p, e) => applyPlanEdit(p, e, durationSec), plan);
    case 'moveCut': {
      checkIndex(plan.cuts, edit.index, 'cut');
      checkTime(edit.toSec, durationSec);
      const rest = plan.cuts.filter((_, i) => i !== edit.index);
      return { ...plan, cuts: insertSorted(rest, edit.toSec, 'cut') };
    }
    case 'addCut':
      checkTime(edit.atSec, durationSec);
      return { ...plan, cuts: insertSorted(plan.cuts, edit.atSec, 'cut') };
    case 'deleteCut':
      checkIndex(plan.cuts, edit.index, 'cut');
      return { ...plan, cuts: plan.cuts.filter((_, i) => i !== edit.index) };
    case 'moveAccent': {
      checkIndex(plan.accents, edit.index, 'accent');
      checkTime(edit.toSec, durationSec);
      const rest = plan.accents.filter((_, i) => i !== edit.index);
      return { ...plan, accents: insertSorted(rest, edit.toSec, 'accent') };
    }
    case 'addAccent':
      checkTime(edit.atSec, durationSec);
      return { ...plan, accents: insertSorted(plan.accents, edit.atSec, 'accent') };
    case 'deleteAccent':
      checkIndex(plan.accents, edit.index, 'accent');
      return { ...plan, accents: plan.accents.filter((_, i) => i !== edit.index) };
    case 'setOdf': {
      const end = edit.startIndex + edit.values.length;
      if (edit.startIndex < 0 || end > plan.odf.length) {
        throw bad(`ODF values ${edit.startIndex}–${end - 1} are outside the curve (it has ${plan.odf.length} values, one per second).`);
      }
      if (edit.values.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw bad('ODF values must be from 0 to 1 (both included).');
      const odf = [...plan.odf];
      for (let i = 0; i < edit.values.length; i++) odf[edit.startIndex + i] = edit.values[i]!;
      return { ...plan, odf };
    }
    case 'lockTempo':
      if (!Number.isFinite(edit.bpm) || edit.bpm < 20 || edit.bpm > 400) throw bad(`Tempo ${edit.bpm} BPM is outside 20–400.`);
      return { ...plan, tempo: { bpm: edit.bpm, locked: true } };
    case 'unlockTempo':
      if (!plan.tempo) return plan;
      return { ...plan, tempo: { ...plan.tempo, locked: false } };
    default: {
      const never: never = edit;
      throw bad(`Unknown edit ${(never as { kind: string }).kind}.`);
    }
  }
}

/** Checks a plan handed to the store (e.g. from analysis) before it becomes a base plan. */
export function validatePlan(plan: RhythmPlan, durationSec: number): void {
  for (const [name, list] of [['cuts', plan.cuts], ['accents', plan.accents]] as const) {
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (!Number.isFinite(t) || t < 0 || t > durationSec) throw bad(`Plan ${name}[${i}] = ${t} s is outside the clip.`);
      if (i > 0 && !(t > list[i - 1]!)) throw bad(`Plan ${name} must be strictly ascending (at index ${i}).`);
    }
  }
  if (plan.odf.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw bad('Plan ODF values must lie between 0 and 1.');
  if (plan.tempo && !(plan.tempo.bpm >= 20 && plan.tempo.bpm <= 400)) throw bad(`Plan tempo ${plan.tempo.bpm} BPM is outside 20–400.`);
}
