import { normalizePlan, type RhythmPlan } from '../../../electron/core/rhythm/index.ts';

/** Plans for composer tests: a typical clip, busy cutting, no cuts, a very short clip. */
export function typicalPlan(durationSec = 30): RhythmPlan {
  const cuts = [4.2, 9.1, 15, 22.3].filter((t) => t < durationSec);
  const beats = [1.3, 2.71, 6.05, 7.4, 11.33, 12.9, 17.66, 19.5, 25.1, 27.37].filter((t) => t < durationSec);
  return normalizePlan({
    durationSec, fps: 25,
    odfLR: Array.from({ length: Math.ceil(durationSec) }, (_, i) => 0.3 + 0.3 * Math.sin(i / 3)),
    accents: [
      ...cuts.map((t) => ({ timeSec: t, strength: 0.9, kind: 'cut' })),
      ...beats.map((t) => ({ timeSec: t, strength: 0.6, kind: 'visual-beat' })),
      { timeSec: 13.77, strength: 0.3, kind: 'visual-beat' },
    ],
    cuts, mood: { valence: 0.3, arousal: 0.2, brightness: 0.6 },
  }).plan;
}

export function busyPlan(durationSec = 12): RhythmPlan {
  // A cut every 0.3 s, strong ones kept ≥ 0.45 s apart as the planner does.
  const accents = [];
  let lastStrong = -1;
  for (let t = 0.3; t < durationSec - 0.1; t += 0.3) {
    const strong = t - lastStrong >= 0.45;
    if (strong) lastStrong = t;
    accents.push({ timeSec: Math.round(t * 1000) / 1000, strength: strong ? 0.8 : 0.3, kind: 'cut' });
  }
  return normalizePlan({ durationSec, fps: 30, odfLR: Array(Math.ceil(durationSec)).fill(0.9), accents, cuts: accents.map((a) => a.timeSec), mood: { valence: -0.3, arousal: 0.8 } }).plan;
}

export function quietPlan(durationSec = 20): RhythmPlan {
  return normalizePlan({ durationSec, fps: 25, odfLR: Array(Math.ceil(durationSec)).fill(0.05), accents: [], cuts: [], mood: { valence: 0.5, arousal: -0.8 } }).plan;
}

export function shortPlan(): RhythmPlan {
  return normalizePlan({ durationSec: 2, fps: 25, odfLR: [0.5, 0.5], accents: [{ timeSec: 0.8, strength: 1, kind: 'user' }], cuts: [], mood: { valence: 0, arousal: 0 } }).plan;
}
