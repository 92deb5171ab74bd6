import type { RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import { ACCENT_MERGE_SEC, normalizePlan, type PlanAccent, type RhythmPlan } from './rhythm-plan.ts';

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
