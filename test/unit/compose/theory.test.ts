import { describe, expect, it } from 'vitest';
import { degreePitchClass, degreeToMidi, diatonicChord, dominantChord, keySignature, voiceLead, Prng } from '../../../electron/core/compose/index.ts';

describe('scales and chords', () => {
  it('maps scale degrees of each mode', () => {
    const aMinor = { tonic: 9, mode: 'minor' as const };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((d) => degreePitchClass(aMinor, d))).toEqual([9, 11, 0, 2, 4, 5, 7, 9]);
    expect(degreeToMidi({ tonic: 0, mode: 'major' }, 9, 60)).toBe(76);
    expect(degreeToMidi({ tonic: 0, mode: 'major' }, -1, 60)).toBe(59);
    expect(diatonicChord({ tonic: 0, mode: 'major' }, 4, 'seventh').pitchClasses).toEqual([7, 11, 2, 5]);
    expect(dominantChord({ tonic: 9, mode: 'minor' }).pitchClasses).toEqual([4, 8, 11]);
  });

  it('writes key signatures, modes by their notes', () => {
    expect(keySignature({ tonic: 2, mode: 'major' })).toEqual({ key: 2, scale: 0 });
    expect(keySignature({ tonic: 5, mode: 'major' })).toEqual({ key: -1, scale: 0 });
    expect(keySignature({ tonic: 9, mode: 'minor' })).toEqual({ key: 0, scale: 1 });
    expect(keySignature({ tonic: 2, mode: 'dorian' })).toEqual({ key: 0, scale: 0 });
  });
});

describe('voiceLead', () => {
  it('keeps common tones and moves the other voices by step or third (C → Am → F → G → C)', () => {
    const k = { tonic: 0, mode: 'major' as const };
    let prev = voiceLead(diatonicChord(k, 0, 'triad'), null, 55, 76);
    let total = 0;
    for (const d of [5, 3, 4, 0]) {
      const next = voiceLead(diatonicChord(k, d, 'triad'), prev, 55, 76);
      const moves = next.map((n, i) => Math.abs(n - prev[i]!));
      expect(Math.max(...moves)).toBeLessThanOrEqual(3); // no voice leaps more than a minor third
      total += moves.reduce((a, b) => a + b, 0);
      for (const n of next) expect(diatonicChord(k, d, 'triad').pitchClasses).toContain(n % 12);
      prev = next;
    }
    expect(total).toBeLessThanOrEqual(16); // root-position blocks would move about 40 semitones
  });

  it('stays in range and falls back to fewer voices in a narrow range', () => {
    const c = diatonicChord({ tonic: 2, mode: 'major' }, 2, 'sus2');
    const v = voiceLead(c, null, 55, 76);
    expect(v.every((n) => n >= 55 && n <= 76)).toBe(true);
    expect(voiceLead(c, null, 64, 70)).toEqual([66, 67]);
  });
});

describe('Prng', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const a = new Prng(42), b = new Prng(42), c = new Prng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(() => new Prng(Number.NaN)).toThrow(/finite/);
  });
});
