import type { RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import { ACCENT_MERGE_SEC, normalizePlan, RHYTHM_PLAN_VERSION, type PlanAccent, type RhythmPlan } from './rhythm-plan.ts';

/** The timeline's editable view of a plan (times only), as the store and the UI keep it. */
export function toTimelinePlan(p: RhythmPlan): TimelinePlan {
  return {
    cuts: p.cuts.map((c) => c.timeSec),
    accents: p.accents.map((a) => a.timeSec),
    odf: [...p.odfLR],
    tempo: p.tempo ? { bpm: p.tempo.bpm, locked: p.tempo.locked } : null,
  };
}

/**
 * Applies the user's timeline edits to the full plan: accents that stayed where they were keep
 * their strength and kind; moved or added ones become `user` accents of strength 1 (the user
 * asked for them). Cuts, ODF and tempo come from the timeline. The result is normalised.
 */
export function applyTimelinePlan(base: RhythmPlan, edited: TimelinePlan): RhythmPlan {
  const accents: PlanAccent[] = edited.accents.map((t) => {
    const same = base.accents.find((a) => Math.abs(a.timeSec - t) < ACCENT_MERGE_SEC);
    return same ? { ...same, timeSec: t } : { timeSec: t, strength: 1, kind: 'user' };
  });
  const cuts = edited.cuts.map((t) => base.cuts.find((c) => Math.abs(c.timeSec - t) < ACCENT_MERGE_SEC) ?? { timeSec: t });
  return normalizePlan({ ...base, accents, cuts, odfLR: edited.odf, tempo: edited.tempo }).plan;
}

/**
 * A full plan from the timeline alone, when the analysis behind it is not at hand: every accent
 * the user kept counts as strong, and the mood is neutral.
 */
export function planFromTimeline(p: TimelinePlan, durationSec: number, fps: number): RhythmPlan {
  const seconds = Math.max(1, Math.ceil(durationSec - 1e-9));
  return normalizePlan({
    version: RHYTHM_PLAN_VERSION,
    durationSec,
    fps,
    odfLR: Array.from({ length: seconds }, (_, i) => Math.min(1, Math.max(0, p.odf[i] ?? 0))),
    accents: p.accents.map((timeSec) => ({ timeSec, strength: 1, kind: 'user' as const })),
    cuts: p.cuts.filter((t) => t > 0 && t < durationSec).map((timeSec) => ({ timeSec })),
    mood: { valence: 0, arousal: 0 },
    tempo: p.tempo ? { bpm: p.tempo.bpm, locked: p.tempo.locked } : null,
  }).plan;
}

/** The plan a generator should follow: the user's timeline over the analysis's full plan. */
export function planForGeneration(edited: TimelinePlan, base: RhythmPlan | null, durationSec: number, fps: number): RhythmPlan {
  return base ? applyTimelinePlan(base, edited) : planFromTimeline(edited, durationSec, fps);
}
