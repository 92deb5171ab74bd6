import { describe, expect, it } from 'vitest';
import { heuristicPlanner, motionPerSecond, normalizePlan, planFromAnalysis, DEFAULT_HEURISTIC_PARAMS } from '../../../electron/core/rhythm/index.ts';
import { fakeAnalysis } from './analysis-fixture.ts';

describe('planFromAnalysis (the built-in heuristic planner)', () => {
  it('makes every cut a strong accent, ranked by score, and adds the clearest visual beats', () => {
    const a = fakeAnalysis({
      durationSec: 12,
      cuts: [{ timeSec: 3, score: 40 }, { timeSec: 8, score: 80 }],
      beats: [
        { timeSec: 3.04, strength: 0.9 }, // the cut's own flash: dropped
        { timeSec: 5.5, strength: 0.8 },
        { timeSec: 6.5, strength: 0.1 }, // too weak
        { timeSec: 10.2, strength: 0.6 },
      ],
    });
    const p = planFromAnalysis(a);
    expect(p.accents).toEqual([
      { timeSec: 3, strength: 0.7, kind: 'cut' },
      { timeSec: 5.5, strength: 0.944444, kind: 'visual-beat' },
      { timeSec: 8, strength: 1, kind: 'cut' },
      { timeSec: 10.2, strength: 0.833333, kind: 'visual-beat' },
    ]);
    expect(p.cuts.map((c) => c.frame)).toEqual([75, 200]);
    expect(p.odfLR).toHaveLength(12);
    expect(p.odfLR[3]).toBe(0.7);
    expect(p.odfLR[0]).toBeCloseTo(0.12, 5); // 0.6 × motion 0.2
    expect(normalizePlan(p).warnings).toEqual([]);
  });

  it('does not make a wall of hits from a cut every 0.3 s: strong accents stay at least the minimum gap apart', () => {
    const cuts = Array.from({ length: 30 }, (_, i) => ({ timeSec: 0.3 * (i + 1), score: 30 + ((i * 7) % 11) }));
    const p = planFromAnalysis(fakeAnalysis({ durationSec: 10, cuts }));
    const strong = p.accents.filter((x) => x.strength >= 0.5).map((x) => x.timeSec);
    expect(p.accents).toHaveLength(30);
    expect(strong.length).toBeGreaterThan(10);
    expect(strong.length).toBeLessThan(30);
    for (let i = 1; i < strong.length; i++) expect(strong[i]! - strong[i - 1]!).toBeGreaterThanOrEqual(DEFAULT_HEURISTIC_PARAMS.minStrongGapSec - 1e-9);
  });

  it('keeps fewer visual beats for calm footage than for excited footage', () => {
    const beats = Array.from({ length: 40 }, (_, i) => ({ timeSec: 0.5 + i * 0.5, strength: 0.5 + 0.5 * ((i * 13) % 7) / 7 }));
    const calm = planFromAnalysis(fakeAnalysis({ durationSec: 21, beats, arousal: -1 }));
    const excited = planFromAnalysis(fakeAnalysis({ durationSec: 21, beats, arousal: 1 }));
    expect(calm.accents.length).toBe(Math.floor(0.15 * 21));
    expect(excited.accents.length).toBeGreaterThan(calm.accents.length);
  });

  it('plans a clip without cuts or beats: no accents, ODF from motion only', async () => {
    const p = await heuristicPlanner.plan(fakeAnalysis({ durationSec: 2.5, motion: () => 0.5 }));
    expect(p.accents).toEqual([]);
    expect(p.odfLR).toEqual([0.3, 0.3, 0.3]);
    expect(p.source?.planner).toBe('heuristic-1');
  });

  it('is deterministic', () => {
    const a = fakeAnalysis({ durationSec: 9, cuts: [{ timeSec: 4, score: 50 }], beats: [{ timeSec: 2, strength: 0.7 }, { timeSec: 6.5, strength: 0.7 }] });
    expect(JSON.stringify(planFromAnalysis(a))).toBe(JSON.stringify(planFromAnalysis(a)));
  });

  it('averages motion per second', () => {
    expect(motionPerSecond([0, 0.5, 1, 1.5, 2.2], [0.2, 0.4, 1, 0, 0.3], 3)).toEqual([0.30000000000000004, 0.5, 0.3]);
  });
});
