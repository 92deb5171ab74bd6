import { z } from 'zod';

/** Bumped when the meaning of a field changes; readers reject other versions. */
export const RHYTHM_PLAN_VERSION = 1;

export type AccentKind = 'cut' | 'visual-beat' | 'user';

/** A moment the music should land on. Strength ≥ 0.5 means "must be hit" (see STRONG_ACCENT). */
export interface PlanAccent {
  timeSec: number;
  /** 0..1. */
  strength: number;
  kind: AccentKind;
}

export interface PlanCut {
  timeSec: number;
  /** First frame of the new scene, when the cut came from the video. */
  frame?: number;
  /** The scene detector's score, when the cut came from the video. */
  score?: number;
  /** Detected in the picture (the default), an imported timeline's edit point, or placed by hand. */
  kind?: 'detected' | 'edit' | 'user';
}

/** The readable mood the composer uses (valence/arousal −1..1, the rest as in core/video's mood). */
export interface PlanMood {
  valence: number;
  arousal: number;
  brightness?: number;
  saturation?: number;
  warmth?: number;
  colourfulness?: number;
  motionEnergy?: number;
  cutRate?: number;
}

export interface PlanSceneMood {
  startSec: number;
  endSec: number;
  valence: number;
  arousal: number;
}

/**
 * The rhythm plan the timeline shows and the user edits; self-contained, so the composer can
 * work from a plan file without the video. Times are seconds on the video's presentation timeline.
 */
export interface RhythmPlan {
  version: typeof RHYTHM_PLAN_VERSION;
  durationSec: number;
  fps: number;
  /** One strength 0..1 per second (Diff-V2M's ODF_LR); length ceil(durationSec). */
  odfLR: number[];
  /** One motion value 0..1 per second, when known; feeds the composer's energy curve. */
  motionLR?: number[];
  /** Ascending. */
  accents: PlanAccent[];
  /** Ascending. */
  cuts: PlanCut[];
  mood: PlanMood;
  sceneMoods?: PlanSceneMood[];
  /** A tempo the composer must keep (BPM), or null to let it choose. */
  tempo?: { bpm: number; locked: boolean } | null;
  /** Which planner made it (e.g. "heuristic-1"), and from which video. */
  source?: { planner: string; video?: string };
}

// Accents at or above this strength must get a note onset (the composer's contract); shared so
// the renderer's staleness check counts the same accents.
export { STRONG_ACCENT } from '../../shared/domain.ts';
/** Longest clip a plan may describe. */
export const MAX_PLAN_DURATION_SEC = 4 * 3600;
/** Accents closer than this are one accent. */
export const ACCENT_MERGE_SEC = 0.001;

const num = z.number();
const accentSchema = z.object({ timeSec: num, strength: num, kind: z.enum(['cut', 'visual-beat', 'user']).default('user') });
const cutSchema = z.union([num, z.object({ timeSec: num, frame: num.optional(), score: num.optional(), kind: z.enum(['detected', 'edit', 'user']).optional() })]);
const moodSchema = z.object({
  valence: num,
  arousal: num,
  brightness: num.optional(),
  saturation: num.optional(),
  warmth: num.optional(),
  colourfulness: num.optional(),
  motionEnergy: num.optional(),
  cutRate: num.optional(),
});

/** The JSON form; lenient where a hand edit is harmless (missing kind, cuts as plain times). */
export const rhythmPlanSchema = z.object({
  version: z.literal(RHYTHM_PLAN_VERSION).default(RHYTHM_PLAN_VERSION),
  durationSec: num,
  fps: num.default(25),
  odfLR: z.array(num).default([]),
  motionLR: z.array(num).optional(),
  accents: z.array(accentSchema),
  cuts: z.array(cutSchema).default([]),
  mood: moodSchema.default({ valence: 0, arousal: 0 }),
  sceneMoods: z.array(z.object({ startSec: num, endSec: num, valence: num, arousal: num })).optional(),
  tempo: z.object({ bpm: num, locked: z.boolean().default(true) }).nullable().optional(),
  source: z.object({ planner: z.string(), video: z.string().optional() }).optional(),
});

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

export interface NormalizedPlan {
  plan: RhythmPlan;
  /** What normalisation changed, in words a user can act on. */
  warnings: string[];
}

const KIND_RANK: Record<AccentKind, number> = { cut: 3, user: 2, 'visual-beat': 1 };
const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const micro = (t: number) => Math.round(t * 1e6) / 1e6;

function finite(v: number, what: string): number {
  if (!Number.isFinite(v)) throw new PlanError(`${what} is ${v}; it must be a finite number. Fix or delete it in the plan file.`);
  return v;
}

/**
 * Checks and tidies a plan (e.g. one a user edited by hand). Errors for what cannot be guessed
 * (non-numbers, NaN, a bad duration or tempo); sane fixes, each reported as a warning, for what
 * can: accents or cuts outside the clip are dropped, lists are sorted, accents closer than 1 ms
 * are merged (strongest wins), strengths and ODF values are clamped to 0..1, odfLR is padded or
 * cut to one value per second.
 */
export function normalizePlan(input: unknown): NormalizedPlan {
  const parsed = rhythmPlanSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the plan';
    throw new PlanError(`Invalid rhythm plan at ${where}: ${issue.message}.`);
  }
  const p = parsed.data;
  const warnings: string[] = [];
  const duration = finite(p.durationSec, 'durationSec');
  if (!(duration > 0) || duration > MAX_PLAN_DURATION_SEC) {
    throw new PlanError(`durationSec must be greater than 0 and at most ${MAX_PLAN_DURATION_SEC} s, got ${duration}.`);
  }
  const fps = finite(p.fps, 'fps');
  if (!(fps > 0) || fps > 1000) throw new PlanError(`fps must be greater than 0 and at most 1000, got ${fps}.`);

  const seconds = Math.ceil(duration - 1e-9);
  const perSecond = (list: number[], name: string): number[] => {
    list.forEach((v, i) => finite(v, `${name}[${i}]`));
    if (list.length !== seconds && list.length > 0) {
      warnings.push(`${name} had ${list.length} values for a ${seconds}-second clip; ${list.length < seconds ? 'padded with zeros' : 'extra values dropped'}.`);
    }
    let clamped = 0;
    const out = Array.from({ length: seconds }, (_, i) => {
      const v = list[i] ?? 0;
      if (v < 0 || v > 1) clamped++;
      return clamp01(v);
    });
    if (clamped) warnings.push(`${clamped} ${name} value(s) outside 0..1 were clamped.`);
    return out;
  };
  const odfLR = perSecond(p.odfLR, 'odfLR');
  const motionLR = p.motionLR ? perSecond(p.motionLR, 'motionLR') : undefined;

  let outside = 0, clampedStrength = 0, merged = 0;
  const raw = p.accents.map((a, i) => {
    finite(a.timeSec, `accents[${i}].timeSec`);
    finite(a.strength, `accents[${i}].strength`);
    if (a.strength < 0 || a.strength > 1) clampedStrength++;
    return { timeSec: micro(a.timeSec), strength: clamp01(a.strength), kind: a.kind };
  });
  const sortedIn = raw.every((a, i) => i === 0 || raw[i - 1]!.timeSec <= a.timeSec);
  const inside = raw.filter((a) => {
    // An accent at the very end could never be heard: the music stops there.
    const ok = a.timeSec >= 0 && a.timeSec < duration;
    if (!ok) outside++;
    return ok;
  });
  inside.sort((a, b) => a.timeSec - b.timeSec || b.strength - a.strength);
  const accents: PlanAccent[] = [];
  for (const a of inside) {
    const last = accents[accents.length - 1];
    if (last && a.timeSec - last.timeSec < ACCENT_MERGE_SEC) {
      merged++;
      last.strength = Math.max(last.strength, a.strength);
      if (KIND_RANK[a.kind] > KIND_RANK[last.kind]) last.kind = a.kind;
    } else accents.push({ ...a });
  }
  if (!sortedIn) warnings.push('Accents were not in time order; they were sorted.');
  if (outside) warnings.push(`${outside} accent(s) outside the clip (0 to before ${duration.toFixed(3)} s) were dropped.`);
  if (clampedStrength) warnings.push(`${clampedStrength} accent strength(s) outside 0..1 were clamped.`);
  if (merged) warnings.push(`${merged} accent(s) within 1 ms of another were merged into it.`);

  let cutsOutside = 0;
  const cutList = p.cuts.map((c, i) => (typeof c === 'number' ? { timeSec: c } : c)).map((c, i) => {
    finite(c.timeSec, `cuts[${i}].timeSec`);
    return { ...c, timeSec: micro(c.timeSec) };
  });
  const cuts = cutList
    .filter((c) => {
      const ok = c.timeSec > 0 && c.timeSec < duration;
      if (!ok) cutsOutside++;
      return ok;
    })
    .sort((a, b) => a.timeSec - b.timeSec)
    .filter((c, i, arr) => i === 0 || c.timeSec - arr[i - 1]!.timeSec >= ACCENT_MERGE_SEC);
  if (cutsOutside) warnings.push(`${cutsOutside} cut(s) at or outside the clip's ends were dropped.`);

  const mood: PlanMood = { ...p.mood };
  for (const [k, v] of Object.entries(mood)) if (v !== undefined) finite(v, `mood.${k}`);
  mood.valence = Math.max(-1, Math.min(1, mood.valence));
  mood.arousal = Math.max(-1, Math.min(1, mood.arousal));

  let tempo: RhythmPlan['tempo'] = null;
  if (p.tempo) {
    const bpm = finite(p.tempo.bpm, 'tempo.bpm');
    if (bpm < 40 || bpm > 240) throw new PlanError(`tempo.bpm must be from 40 to 240 BPM (both included), got ${bpm}.`);
    tempo = { bpm, locked: p.tempo.locked };
  }
  const sceneMoods = p.sceneMoods
    ?.filter((s) => [s.startSec, s.endSec, s.valence, s.arousal].every(Number.isFinite) && s.endSec > s.startSec)
    .sort((a, b) => a.startSec - b.startSec);

  const plan: RhythmPlan = {
    version: RHYTHM_PLAN_VERSION,
    durationSec: duration,
    fps,
    odfLR,
    ...(motionLR ? { motionLR } : {}),
    accents,
    cuts,
    mood,
    ...(sceneMoods ? { sceneMoods } : {}),
    tempo,
    ...(p.source ? { source: p.source } : {}),
  };
  return { plan, warnings };
}

/** Parses a plan file's text; a clear error for text that is not JSON. */
export function parsePlanJson(text: string): NormalizedPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PlanError(`The plan file is not valid JSON (${(e as Error).message}).`);
  }
  return normalizePlan(json);
}

/** Stable JSON text of a plan (what `v2m plan --json` prints). */
export function planToJson(plan: RhythmPlan): string {
  return JSON.stringify(plan, null, 2);
}
