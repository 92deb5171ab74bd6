import { describe, expect, it } from 'vitest';
import { applyTimelinePlan, normalizePlan, toTimelinePlan } from '../../../electron/core/rhythm/index.ts';

describe('timeline plan adapter', () => {
  const base = normalizePlan({
    durationSec: 10, fps: 25, odfLR: Array(10).fill(0.4),
    accents: [{ timeSec: 2, strength: 0.9, kind: 'cut' }, { timeSec: 5, strength: 0.6, kind: 'visual-beat' }],
    cuts: [{ timeSec: 2, frame: 50, score: 40 }], mood: { valence: 0.1, arousal: 0.2 },
  }).plan;

  it('gives the timeline the times, ODF and tempo', () => {
    expect(toTimelinePlan(base)).toEqual({ cuts: [2], accents: [2, 5], odf: Array(10).fill(0.4), tempo: null });
  });

  it('keeps untouched accents, makes moved and added ones user accents of strength 1, and keeps the rest of the plan', () => {
    const t = toTimelinePlan(base);
    const edited = applyTimelinePlan(base, { ...t, accents: [2, 5.5, 8], tempo: { bpm: 100, locked: true } });
    expect(edited.accents).toEqual([
      { timeSec: 2, strength: 0.9, kind: 'cut' },
      { timeSec: 5.5, strength: 1, kind: 'user' },
      { timeSec: 8, strength: 1, kind: 'user' },
    ]);
    expect(edited.cuts).toEqual([{ timeSec: 2, frame: 50, score: 40 }]);
    expect(edited.tempo).toEqual({ bpm: 100, locked: true });
    expect(edited.mood).toEqual(base.mood);
  });
});
