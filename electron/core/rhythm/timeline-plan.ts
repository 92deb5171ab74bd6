import type { PlanAccent as TimelineAccent, PlanCut as TimelineCut, RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import { ACCENT_MERGE_SEC, normalizePlan, RHYTHM_PLAN_VERSION, type PlanCut, type RhythmPlan } from './rhythm-plan.ts';

/**
 * The timeline's editable view of a plan, as the store and the UI keep it: every cut and accent
 * gets a stable id (c1…, a1… in time order) and keeps its kind and strength from here on.
 */
export function toTimelinePlan(p: RhythmPlan): TimelinePlan {
  return {
    cuts: p.cuts.map((c, i): TimelineCut => ({ id: `c${i + 1}`, timeSec: c.timeSec, kind: c.kind ?? 'detected' })),
    accents: p.accents.map((a, i): TimelineAccent => ({ id: `a${i + 1}`, timeSec: a.timeSec, strength: a.strength, kind: a.kind })),
    odf: [...p.odfLR],
    tempo: p.tempo ? { bpm: p.tempo.bpm, locked: p.tempo.locked } : null,
  };
}

/**
 * Applies the user's timeline to the full plan: accents and cuts come from the timeline with
 * their own strength and kind; a cut still at its analysed time keeps the detector's frame and
 * score. ODF and tempo come from the timeline, mood and the rest from the analysis.
 */
export function applyTimelinePlan(base: RhythmPlan, edited: TimelinePlan): RhythmPlan {
  const accents = edited.accents.map((a) => ({ timeSec: a.timeSec, strength: a.strength, kind: a.kind }));
  const cuts = edited.cuts.map((c): PlanCut => {
    const same = base.cuts.find((b) => Math.abs(b.timeSec - c.timeSec) < ACCENT_MERGE_SEC);
    return { ...(same ?? {}), timeSec: c.timeSec, kind: c.kind };
  });
  return normalizePlan({ ...base, accents, cuts, odfLR: edited.odf, tempo: edited.tempo }).plan;
}

/** A full plan from the timeline alone, when the analysis behind it is not at hand: the mood is neutral. */
export function planFromTimeline(p: TimelinePlan, durationSec: number, fps: number): RhythmPlan {
  const seconds = Math.max(1, Math.ceil(durationSec - 1e-9));
  return normalizePlan({
    version: RHYTHM_PLAN_VERSION,
    durationSec,
    fps,
    odfLR: Array.from({ length: seconds }, (_, i) => Math.min(1, Math.max(0, p.odf[i] ?? 0))),
    accents: p.accents.map((a) => ({ timeSec: a.timeSec, strength: a.strength, kind: a.kind })),
    cuts: p.cuts.filter((c) => c.timeSec > 0 && c.timeSec < durationSec).map((c) => ({ timeSec: c.timeSec, kind: c.kind })),
    mood: { valence: 0, arousal: 0 },
    tempo: p.tempo ? { bpm: p.tempo.bpm, locked: p.tempo.locked } : null,
  }).plan;
}

/** The plan a generator should follow: the user's timeline over the analysis's full plan. */
export function planForGeneration(edited: TimelinePlan, base: RhythmPlan | null, durationSec: number, fps: number): RhythmPlan {
  return base ? applyTimelinePlan(base, edited) : planFromTimeline(edited, durationSec, fps);
}
