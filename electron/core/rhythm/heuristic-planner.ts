import type { VideoAnalysis } from '../video/index.ts';
import { RHYTHM_PLAN_VERSION, type PlanAccent, type PlanCut, type RhythmPlan } from './rhythm-plan.ts';

/** What both planners do: the built-in heuristic below and the ONNX rhythm predictor (core/models). */
export interface RhythmPlanner {
  readonly name: string;
  plan(analysis: VideoAnalysis, opts?: { signal?: AbortSignal; onProgress?: (p: { stage: string; fraction: number }) => void }): Promise<RhythmPlan>;
}

export interface HeuristicPlanParams {
  /** Strong accents closer than this to each other are not both kept strong (no wall of hits). */
  minStrongGapSec: number;
  /** Visual beats this close to a cut are the cut's own flash in the motion curve, not a beat. */
  cutShadowSec: number;
  /** Visual beats weaker than this fraction of the clip's strongest beat are ignored. */
  minBeatFraction: number;
  /** Strong visual beats allowed per second: calm footage gets the low end, excited the high end. */
  beatsPerSecCalm: number;
  beatsPerSecExcited: number;
  /** Strength given to cuts demoted for crowding (below STRONG_ACCENT, so they are optional). */
  crowdedCutStrength: number;
}

export const DEFAULT_HEURISTIC_PARAMS: HeuristicPlanParams = {
  minStrongGapSec: 0.45,
  cutShadowSec: 0.2,
  minBeatFraction: 0.35,
  beatsPerSecCalm: 0.15,
  beatsPerSecExcited: 0.5,
  crowdedCutStrength: 0.3,
};

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const micro = (t: number) => Math.round(t * 1e6) / 1e6;

/**
 * The built-in planner, a deterministic function of the visual analysis:
 * 1. Cuts first. Every scene cut is an accent. Its strength is 0.7 + 0.3·(rank of its detector
 *    score among the clip's cuts), so every cut is strong (≥ 0.5). Going through the cuts by
 *    score, a cut within `minStrongGapSec` of an already kept strong cut is demoted to
 *    `crowdedCutStrength` (a cut every 0.3 s gives a strong accent about every 0.6 s, not a roll).
 * 2. Then the clearest visual beats: beats within `cutShadowSec` of a cut are dropped (the cut's
 *    own jump in the motion curve); beats weaker than `minBeatFraction` × the strongest are
 *    ignored; the rest are taken strongest first while they keep `minStrongGapSec` from every
 *    strong accent, up to a budget of beatsPerSec(arousal) × duration, where the rate runs
 *    linearly from `beatsPerSecCalm` (arousal −1) to `beatsPerSecExcited` (arousal +1). A kept
 *    beat's strength is 0.5 + 0.5·(its strength ÷ the strongest beat), so it is a strong accent.
 * 3. odfLR[s] = max(strongest accent in [s, s+1), 0.6 × mean motion of that second): the
 *    accents dominate and motion fills the seconds between them, as an onset envelope would.
 * Times are the frames' real timestamps (VFR-safe); the plan covers 0 .. startSec + durationSec.
 */
export function planFromAnalysis(a: VideoAnalysis, params: Partial<HeuristicPlanParams> = {}): RhythmPlan {
  const p = { ...DEFAULT_HEURISTIC_PARAMS, ...params };
  const durationSec = micro(a.startSec + a.durationSec);
  const seconds = Math.max(1, Math.ceil(durationSec - 1e-9));
  const cuts: PlanCut[] = a.sceneCuts
    .filter((c) => c.timeSec > 0 && c.timeSec < durationSec)
    .map((c) => ({ timeSec: micro(c.timeSec), frame: c.frame, score: c.score }));

  // 1. Cuts, ranked by score (ties: earlier first, so the result is deterministic).
  const byScore = cuts.map((c, i) => ({ c, i })).sort((x, y) => (y.c.score ?? 0) - (x.c.score ?? 0) || x.i - y.i);
  const strong: number[] = [];
  const isFree = (t: number) => strong.every((s) => Math.abs(s - t) >= p.minStrongGapSec);
  const accents: PlanAccent[] = [];
  byScore.forEach(({ c }, rank) => {
    const rankStrength = byScore.length > 1 ? 1 - rank / (byScore.length - 1) : 1;
    if (isFree(c.timeSec)) {
      strong.push(c.timeSec);
      accents.push({ timeSec: c.timeSec, strength: micro(0.7 + 0.3 * rankStrength), kind: 'cut' });
    } else accents.push({ timeSec: c.timeSec, strength: p.crowdedCutStrength, kind: 'cut' });
  });

  // 2. The clearest visual beats, within a density budget that follows arousal.
  const maxBeat = a.visualBeats.reduce((m, b) => Math.max(m, b.strength), 0);
  if (maxBeat > 0) {
    const arousal = Math.max(-1, Math.min(1, a.mood.overall.arousal));
    const rate = p.beatsPerSecCalm + ((arousal + 1) / 2) * (p.beatsPerSecExcited - p.beatsPerSecCalm);
    let budget = Math.floor(rate * durationSec);
    const candidates = a.visualBeats
      .map((b, i) => ({ t: micro(b.timeSec), s: b.strength, i }))
      .filter((b) => b.t >= 0 && b.t <= durationSec && b.s >= p.minBeatFraction * maxBeat)
      .filter((b) => cuts.every((c) => Math.abs(c.timeSec - b.t) > p.cutShadowSec))
      .sort((x, y) => y.s - x.s || x.i - y.i);
    for (const b of candidates) {
      if (budget <= 0) break;
      if (!isFree(b.t)) continue;
      strong.push(b.t);
      accents.push({ timeSec: b.t, strength: micro(0.5 + 0.5 * (b.s / maxBeat)), kind: 'visual-beat' });
      budget--;
    }
  }
  accents.sort((x, y) => x.timeSec - y.timeSec || y.strength - x.strength);

  // 3. odfLR and motion per second.
  const motionLR = motionPerSecond(a.visualRhythm.frameTimes, a.visualRhythm.curve, seconds);
  const odfLR = Array.from({ length: seconds }, (_, s) => 0.6 * motionLR[s]!);
  for (const acc of accents) {
    const s = Math.min(seconds - 1, Math.floor(acc.timeSec));
    odfLR[s] = Math.max(odfLR[s]!, acc.strength);
  }

  const m = a.mood.overall;
  return {
    version: RHYTHM_PLAN_VERSION,
    durationSec,
    fps: a.fps,
    odfLR: odfLR.map(micro),
    motionLR: motionLR.map(micro),
    accents,
    cuts,
    mood: {
      valence: m.valence, arousal: m.arousal, brightness: m.brightness, saturation: m.saturation,
      warmth: m.warmth, colourfulness: m.colourfulness, motionEnergy: m.motionEnergy, cutRate: m.cutRate,
    },
    sceneMoods: a.mood.perScene.map((s) => ({ startSec: s.startSec, endSec: s.endSec, valence: s.valence, arousal: s.arousal })),
    tempo: null,
    source: { planner: heuristicPlanner.name, video: a.source.path },
  };
}

/** Mean of the visual-rhythm curve over each second (0 for a second without frames). */
export function motionPerSecond(frameTimes: ArrayLike<number>, curve: ArrayLike<number>, seconds: number): number[] {
  const sum = new Float64Array(seconds), n = new Float64Array(seconds);
  for (let i = 0; i < curve.length; i++) {
    const s = Math.floor(frameTimes[i]!);
    if (s < 0 || s >= seconds) continue;
    sum[s] += curve[i]!;
    n[s]!++;
  }
  return Array.from(sum, (v, s) => (n[s] ? clamp01(v / n[s]!) : 0));
}

export const heuristicPlanner: RhythmPlanner = {
  name: 'heuristic-1',
  async plan(analysis, opts) {
    opts?.signal?.throwIfAborted();
    return planFromAnalysis(analysis);
  },
};
