import { describe, expect, it } from 'vitest';
import { normalizePlan, parsePlanJson, planToJson, PlanError, STRONG_ACCENT } from '../../../electron/core/rhythm/index.ts';

const base = { durationSec: 10, fps: 25, odfLR: Array(10).fill(0.5), accents: [], cuts: [], mood: { valence: 0, arousal: 0 } };

describe('normalizePlan', () => {
  it('accepts a tidy plan unchanged and without warnings', () => {
    const input = { ...base, accents: [{ timeSec: 1, strength: 0.9, kind: 'cut' }, { timeSec: 2.5, strength: 0.6, kind: 'visual-beat' }], cuts: [{ timeSec: 1 }] };
    const { plan, warnings } = normalizePlan(input);
    expect(warnings).toEqual([]);
    expect(plan.accents).toEqual(input.accents);
    expect(plan.cuts).toEqual([{ timeSec: 1 }]);
    expect(plan.version).toBe(1);
    expect(normalizePlan(JSON.parse(planToJson(plan))).plan).toEqual(plan);
  });

  it('sorts unsorted accents, drops those outside the clip, clamps strengths, merges duplicates, and says so', () => {
    const { plan, warnings } = normalizePlan({
      ...base,
      accents: [
        { timeSec: 5, strength: 0.7, kind: 'visual-beat' },
        { timeSec: 2, strength: 1.4, kind: 'user' },
        { timeSec: -0.5, strength: 0.9, kind: 'user' },
        { timeSec: 10.5, strength: 0.9, kind: 'user' },
        { timeSec: 5.0004, strength: 0.9, kind: 'cut' },
      ],
    });
    expect(plan.accents).toEqual([
      { timeSec: 2, strength: 1, kind: 'user' },
      { timeSec: 5, strength: 0.9, kind: 'cut' },
    ]);
    expect(warnings.join(' ')).toMatch(/sorted/);
    expect(warnings.join(' ')).toMatch(/2 accent\(s\) outside the clip/);
    expect(warnings.join(' ')).toMatch(/clamped/);
    expect(warnings.join(' ')).toMatch(/merged/);
  });

  it('pads or cuts odfLR to one value per second and defaults a missing accent kind to user', () => {
    const short = normalizePlan({ ...base, durationSec: 4.2, odfLR: [0.1, 2], accents: [{ timeSec: 1, strength: 0.5 }] });
    expect(short.plan.odfLR).toEqual([0.1, 1, 0, 0, 0]);
    expect(short.plan.accents[0]!.kind).toBe('user');
    expect(short.warnings.join(' ')).toMatch(/padded/);
    const long = normalizePlan({ ...base, durationSec: 2, odfLR: [0.1, 0.2, 0.3] });
    expect(long.plan.odfLR).toEqual([0.1, 0.2]);
  });

  it('rejects what cannot be guessed with an error naming the field', () => {
    expect(() => normalizePlan({ ...base, accents: [{ timeSec: Number.NaN, strength: 1, kind: 'cut' }] })).toThrow(/accents\.0\.timeSec.*NaN/);
    expect(() => normalizePlan({ ...base, accents: [{ timeSec: 1, strength: Number.POSITIVE_INFINITY, kind: 'cut' }] })).toThrow(PlanError);
    expect(() => normalizePlan({ ...base, durationSec: 0 })).toThrow("durationSec must be greater than 0 and at most 14400 s, got 0.");
    expect(() => normalizePlan({ ...base, durationSec: '12' })).toThrow(/Invalid rhythm plan at durationSec/);
    expect(() => normalizePlan({ ...base, accents: [{ timeSec: 1, strength: 1, kind: 'drum' }] })).toThrow(/accents\.0\.kind/);
    expect(() => normalizePlan({ ...base, tempo: { bpm: 400, locked: true } })).toThrow(/tempo\.bpm/);
    expect(() => normalizePlan({ ...base, odfLR: [Number.NaN] })).toThrow(/odfLR\.0/);
    expect(() => parsePlanJson('{"durationSec": 3,')).toThrow(/not valid JSON/);
  });

  it('takes cuts as plain times and drops cuts at or beyond the ends', () => {
    const { plan, warnings } = normalizePlan({ ...base, cuts: [4, 0, 2, 11] });
    expect(plan.cuts.map((c) => c.timeSec)).toEqual([2, 4]);
    expect(warnings.join(' ')).toMatch(/2 cut\(s\)/);
  });

  it('exports the strong-accent threshold the composer promises to hit', () => {
    expect(STRONG_ACCENT).toBe(0.5);
  });
});
