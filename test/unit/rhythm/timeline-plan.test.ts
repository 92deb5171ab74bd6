import { describe, expect, it } from 'vitest';
import { applyTimelinePlan, normalizePlan, toTimelinePlan } from '../../../electron/core/rhythm/index.ts';

describe('timeline plan adapter', () => {
  const base = normalizePlan({
    durationSec: 10, fps: 25, odfLR: Array(10).fill(0.4),
    accents: [{ timeSec: 2, strength: 0.9, kind: 'cut' }, { timeSec: 5, strength: 0.6, kind: 'visual-beat' }],
    cuts: [{ timeSec: 2, frame: 50, score: 40 }], mood: { valence: 0.1, arousal: 0.2 },
  }).plan;

  it('gives the timeline ids, kinds, strengths, ODF and tempo', () => {
    expect(toTimelinePlan(base)).toEqual({
      cuts: [{ id: 'c1', timeSec: 2, kind: 'detected' }],
      accents: [{ id: 'a1', timeSec: 2, strength: 0.9, kind: 'cut' }, { id: 'a2', timeSec: 5, strength: 0.6, kind: 'visual-beat' }],
      odf: Array(10).fill(0.4),
      tempo: null,
    });
  });

  it('keeps what the timeline says of each accent (a moved accent keeps its strength), and the rest of the plan', () => {
    const t = toTimelinePlan(base);
    const edited = applyTimelinePlan(base, {
      ...t,
      accents: [t.accents[0]!, { ...t.accents[1]!, timeSec: 5.5 }, { id: 'a3', timeSec: 8, strength: 1, kind: 'user' }],
      cuts: [...t.cuts, { id: 'c2', timeSec: 7, kind: 'edit' }],
      tempo: { bpm: 100, locked: true },
    });
    expect(edited.accents).toEqual([
      { timeSec: 2, strength: 0.9, kind: 'cut' },
      { timeSec: 5.5, strength: 0.6, kind: 'visual-beat' },
      { timeSec: 8, strength: 1, kind: 'user' },
    ]);
    expect(edited.cuts).toEqual([{ timeSec: 2, frame: 50, score: 40, kind: 'detected' }, { timeSec: 7, kind: 'edit' }]);
    expect(edited.tempo).toEqual({ bpm: 100, locked: true });
    expect(edited.mood).toEqual(base.mood);
  });

  it('carries edit cuts from a plan file into the timeline', () => {
    const p = normalizePlan({ ...base, cuts: [{ timeSec: 3, kind: 'edit' }, 6] }).plan;
    expect(toTimelinePlan(p).cuts).toEqual([{ id: 'c1', timeSec: 3, kind: 'edit' }, { id: 'c2', timeSec: 6, kind: 'detected' }]);
  });
});
