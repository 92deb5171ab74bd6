import type { PlanAccent, PlanCut, PlanEdit, PlanPlanner, RhythmPlan, SinglePlanEdit } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';

function bad(message: string): StoreError {
  return new StoreError('BAD_EDIT', message);
}

type Marker = PlanCut | PlanAccent;

function find<T extends Marker>(list: readonly T[], id: string, what: string): number {
  const i = list.findIndex((m) => m.id === id);
  if (i < 0) throw bad(`There is no ${what} with id "${id}" in the plan (it may have been deleted or undone).`);
  return i;
}

function checkTime(t: number, durationSec: number): void {
  if (!Number.isFinite(t) || t < 0 || t > durationSec) throw bad(`Time ${t} s is outside the clip (0–${durationSec.toFixed(3)} s).`);
}

function checkStrength(s: number): void {
  if (!Number.isFinite(s) || s < 0 || s > 1) throw bad(`Accent strength ${s} must lie between 0 and 1.`);
}

/** Inserts keeping ascending order; an exact duplicate time is refused so markers stay distinct. */
function insertSorted<T extends Marker>(list: readonly T[], m: T, what: string): T[] {
  if (list.some((x) => x.timeSec === m.timeSec)) throw bad(`There is already a ${what} at ${m.timeSec} s.`);
  const out = [...list, m];
  out.sort((a, b) => a.timeSec - b.timeSec);
  return out;
}

/**
 * The next free id with this prefix: one above the highest number in use. Deterministic, so the
 * same history always gives the same ids (replays, tests); ids only need to be unique within a plan.
 */
export function nextMarkerId(plan: RhythmPlan, prefix: 'c' | 'a'): string {
  let max = 0;
  const re = new RegExp(`^${prefix}(\\d+)$`);
  for (const m of prefix === 'c' ? plan.cuts : plan.accents) {
    const n = re.exec(m.id);
    if (n) max = Math.max(max, Number(n[1]));
  }
  return `${prefix}${max + 1}`;
}

function newId(plan: RhythmPlan, given: string | undefined, prefix: 'c' | 'a'): string {
  if (given === undefined) return nextMarkerId(plan, prefix);
  if ([...plan.cuts, ...plan.accents].some((m) => m.id === given)) throw bad(`The id "${given}" is already used by another marker.`);
  return given;
}

/**
 * The plan after one edit. Pure: the store persists the result and the edit together, and the
 * same function replays history in tests and migrations. A moved marker keeps its id, kind and
 * strength; only its time changes.
 */
export function applyPlanEdit(plan: RhythmPlan, edit: PlanEdit, durationSec: number): RhythmPlan {
  if (edit.kind === 'batch') {
    // Each edit sees the plan the previous one left; one failure refuses the whole batch.
    return edit.edits.reduce((p, e) => applySingle(p, e, durationSec), plan);
  }
  return applySingle(plan, edit, durationSec);
}

function applySingle(plan: RhythmPlan, edit: SinglePlanEdit, durationSec: number): RhythmPlan {
  switch (edit.kind) {
    case 'moveCut': {
      const i = find(plan.cuts, edit.id, 'cut');
      checkTime(edit.toSec, durationSec);
      const rest = plan.cuts.filter((_, k) => k !== i);
      return { ...plan, cuts: insertSorted(rest, { ...plan.cuts[i]!, timeSec: edit.toSec }, 'cut') };
    }
    case 'addCut': {
      checkTime(edit.atSec, durationSec);
      const cut: PlanCut = { id: newId(plan, edit.id, 'c'), timeSec: edit.atSec, kind: edit.cutKind ?? 'user' };
      return { ...plan, cuts: insertSorted(plan.cuts, cut, 'cut') };
    }
    case 'deleteCut': {
      const i = find(plan.cuts, edit.id, 'cut');
      return { ...plan, cuts: plan.cuts.filter((_, k) => k !== i) };
    }
    case 'moveAccent': {
      const i = find(plan.accents, edit.id, 'accent');
      checkTime(edit.toSec, durationSec);
      const rest = plan.accents.filter((_, k) => k !== i);
      return { ...plan, accents: insertSorted(rest, { ...plan.accents[i]!, timeSec: edit.toSec }, 'accent') };
    }
    case 'addAccent': {
      checkTime(edit.atSec, durationSec);
      const strength = edit.strength ?? 1;
      checkStrength(strength);
      // The user asked for it, so by default the music must hit it.
      const accent: PlanAccent = { id: newId(plan, edit.id, 'a'), timeSec: edit.atSec, strength, kind: 'user' };
      return { ...plan, accents: insertSorted(plan.accents, accent, 'accent') };
    }
    case 'deleteAccent': {
      const i = find(plan.accents, edit.id, 'accent');
      return { ...plan, accents: plan.accents.filter((_, k) => k !== i) };
    }
    case 'setAccentStrength': {
      const i = find(plan.accents, edit.id, 'accent');
      checkStrength(edit.strength);
      return { ...plan, accents: plan.accents.map((a, k) => (k === i ? { ...a, strength: edit.strength } : a)) };
    }
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

/**
 * A planner switch as the history records it. Not a `PlanEdit`: only the engine makes one, from a
 * planner's output, so no caller can label a hand-drawn curve as the model's.
 */
export interface ReplanStep {
  kind: 'replan';
  planner: PlanPlanner;
  odf: number[];
}

/**
 * The plan with another planner's ODF. Cuts, accents and tempo stay as the user left them (the
 * neural planner predicts only the ODF). The curve is fitted to the plan's length, one value a
 * second, in case a planner rounds the clip's last partial second the other way.
 */
export function replanPlan(plan: RhythmPlan, step: ReplanStep): RhythmPlan {
  if (step.odf.length === 0) throw bad(`The ${step.planner.id} planner returned no ODF.`);
  if (step.odf.some((v) => !Number.isFinite(v))) throw bad(`The ${step.planner.id} planner returned a non-finite ODF value.`);
  const n = plan.odf.length;
  const odf = Array.from({ length: n }, (_, i) => Math.min(1, Math.max(0, step.odf[Math.min(i, step.odf.length - 1)]!)));
  return { ...plan, odf, planner: step.planner };
}

/** One step of a clip's plan history as stored. */
export type RecordedStep = PlanEdit | ReplanStep | { kind: 'reset' };

/** Replays one recorded step (history checks and tests): a reset goes back to the base plan. */
export function applyRecordedStep(plan: RhythmPlan, step: RecordedStep, base: RhythmPlan, durationSec: number): RhythmPlan {
  if (step.kind === 'reset') return base;
  if (step.kind === 'replan') return replanPlan(plan, step);
  return applyPlanEdit(plan, step, durationSec);
}

const CUT_KINDS = new Set(['detected', 'edit', 'user']);
const ACCENT_KINDS = new Set(['cut', 'visual-beat', 'user']);

/** Checks a plan handed to the store (e.g. from analysis) before it becomes a base plan. */
export function validatePlan(plan: RhythmPlan, durationSec: number): void {
  const ids = new Set<string>();
  for (const [name, list] of [['cuts', plan.cuts], ['accents', plan.accents]] as const) {
    for (let i = 0; i < list.length; i++) {
      const m = list[i]!;
      const t = m.timeSec;
      if (typeof m.id !== 'string' || m.id === '') throw bad(`Plan ${name}[${i}] has no id.`);
      if (ids.has(m.id)) throw bad(`Plan ${name}[${i}] reuses the id "${m.id}".`);
      ids.add(m.id);
      if (!Number.isFinite(t) || t < 0 || t > durationSec) throw bad(`Plan ${name}[${i}] = ${t} s is outside the clip.`);
      if (i > 0 && !(t > list[i - 1]!.timeSec)) throw bad(`Plan ${name} must be strictly ascending (at index ${i}).`);
      if (!(name === 'cuts' ? CUT_KINDS : ACCENT_KINDS).has(m.kind)) throw bad(`Plan ${name}[${i}] has an unknown kind "${m.kind}".`);
    }
  }
  for (const a of plan.accents) checkStrength(a.strength);
  if (plan.odf.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw bad('Plan ODF values must lie between 0 and 1.');
  if (plan.tempo && !(plan.tempo.bpm >= 20 && plan.tempo.bpm <= 400)) throw bad(`Plan tempo ${plan.tempo.bpm} BPM is outside 20–400.`);
}
