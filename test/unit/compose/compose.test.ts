import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compose, compositionToMidi, readSmf, STYLE_NAMES, CHANNELS, MIN_BPM, MAX_BPM, PPQ, degreePitchClass, fadeLength, type Composition,
} from '../../../electron/core/compose/index.ts';
import { STRONG_ACCENT, type RhythmPlan } from '../../../electron/core/rhythm/index.ts';
import { busyPlan, quietPlan, shortPlan, typicalPlan } from './plans.ts';

/** Note-on times (s) of a composition, read back from its SMF as a player would. */
function onsetsFromSmf(c: Composition): Float64Array {
  const { events } = readSmf(compositionToMidi(c));
  return Float64Array.from(events.filter((e) => e.kind === 'noteOn').map((e) => e.sec)).sort();
}

function nearest(sorted: Float64Array, t: number): number {
  let best = Infinity;
  for (const x of sorted) if (Math.abs(x - t) < Math.abs(best - t)) best = x;
  return best;
}

const plans: [string, () => RhythmPlan][] = [['typical', () => typicalPlan()], ['busy', () => busyPlan()], ['quiet', () => quietPlan()], ['2 s', shortPlan]];

describe('compose: accents are hit by construction', () => {
  for (const style of STYLE_NAMES) {
    for (const [name, make] of plans) {
      it(`${style}, ${name} plan: every accent ≥ 0.5 has a note onset within ±10 ms (read back from the SMF)`, () => {
        const plan = make();
        const c = compose(plan, { style, seed: 3 });
        const onsets = onsetsFromSmf(c);
        for (const a of plan.accents.filter((x) => x.strength >= STRONG_ACCENT)) {
          expect(Math.abs(nearest(onsets, a.timeSec) - a.timeSec), `accent at ${a.timeSec}`).toBeLessThanOrEqual(0.01);
        }
        for (const s of c.tempoSegments) {
          if (s.beatsPerBar === 4) expect(s.bpm >= MIN_BPM && s.bpm <= MAX_BPM).toBe(true);
        }
        // Nothing sounds past the clip's end.
        for (const n of c.notes) expect(n.tick + n.durationTicks).toBeLessThanOrEqual(c.endTick);
        expect(c.tempoMap.secOfTick(c.endTick)).toBeCloseTo(plan.durationSec, 3);
      });
    }
  }

  it('a locked tempo is kept and the accents are still hit', () => {
    const plan = typicalPlan();
    const c = compose(plan, { style: 'electronic', tempo: 128, seed: 1 });
    expect(c.tempoSegments[c.tempoSegments.length - 1]!.bpm).toBe(128);
    const onsets = onsetsFromSmf(c);
    for (const a of plan.accents.filter((x) => x.strength >= 0.5)) expect(Math.abs(nearest(onsets, a.timeSec) - a.timeSec)).toBeLessThanOrEqual(0.01);
  });
});

describe('compose: form', () => {
  const plan = typicalPlan();
  const c = compose(plan, { style: 'acoustic', seed: 5 });

  it('starts a section (and may change tempo) only at strong cuts', () => {
    expect(c.sectionStarts).toEqual([0, 4.2, 9.1, 15, 22.3]);
    expect(c.tempoSegments.map((s) => s.startSec)).toEqual(c.sectionStarts);
  });

  it('crashes on every cut and fills into it on the drums', () => {
    for (const t of [4.2, 9.1, 15, 22.3]) {
      const tick = Math.round(c.tempoMap.tickOfSec(t));
      const atCut = c.notes.filter((n) => n.channel === CHANNELS.drums && n.tick === tick).map((n) => n.pitch);
      expect(atCut).toContain(c.style.drumVoices.crash);
      const fill = c.notes.filter((n) => n.channel === CHANNELS.drums && n.tick < tick && n.tick >= tick - PPQ && [c.style.drumVoices.snare, ...c.style.drumVoices.toms].includes(n.pitch));
      expect(fill.length, `fill before ${t}`).toBeGreaterThanOrEqual(2);
    }
  });

  it('ends on the tonic: the final bar holds the tonic chord in bass, harmony and lead, after a cadence', () => {
    const final = c.bars[c.bars.length - 1]!;
    expect(final.final).toBe(true);
    expect(final.chord.root).toBe(c.key.tonic);
    expect(c.bars[c.bars.length - 2]!.chord.root).toBe(degreePitchClass(c.key, 4));
    const lastBass = c.notes.filter((n) => n.channel === CHANNELS.bass).at(-1)!;
    expect(lastBass.pitch % 12).toBe(c.key.tonic);
    expect(lastBass.tick + lastBass.durationTicks).toBe(c.endTick);
    const lastLead = c.notes.filter((n) => n.channel === CHANNELS.lead).at(-1)!;
    expect(lastLead.pitch % 12).toBe(c.key.tonic);
    expect(plan.durationSec - c.tempoMap.secOfTick(final.tick)).toBeGreaterThanOrEqual(1);
    expect(c.fadeOutSec).toBeGreaterThan(0);
    expect(c.fadeOutSec).toBeLessThanOrEqual(2);
  });

  it('develops the lead motif: phrases do not all repeat the same notes', () => {
    const byPhrase = new Map<number, string>();
    for (const b of c.bars.filter((x) => !x.final)) {
      const notes = c.notes.filter((n) => n.channel === CHANNELS.lead && n.tick >= b.tick && n.tick < b.endTick).map((n) => n.pitch);
      if (notes.length) byPhrase.set(b.phrase, `${byPhrase.get(b.phrase) ?? ''}|${notes.join(',')}`);
    }
    expect(new Set(byPhrase.values()).size).toBeGreaterThan(1);
  });

  it('plays more notes where the energy is high', () => {
    const lo = compose({ ...plan, odfLR: plan.odfLR.map(() => 0.05), motionLR: undefined, mood: { ...plan.mood, arousal: -1 } }, { style: 'acoustic', seed: 5 });
    const hi = compose({ ...plan, odfLR: plan.odfLR.map(() => 1), motionLR: plan.odfLR.map(() => 1), mood: { ...plan.mood, arousal: 1 } }, { style: 'acoustic', seed: 5 });
    expect(hi.notes.length).toBeGreaterThan(lo.notes.length * 1.5);
  });

  it('follows the intensity control: sparser below 0.5, busier above, unchanged at 0.5', () => {
    const notes = (intensity?: number) => compose(plan, { style: 'electronic', seed: 3, ...(intensity === undefined ? {} : { intensity }) }).notes.length;
    expect(notes(0.5)).toBe(notes());
    expect(notes(0)).toBeLessThan(notes(0.5));
    expect(notes(1)).toBeGreaterThan(notes(0.5));
    expect(() => compose(plan, { intensity: 1.5 })).toThrow("Intensity must be from 0 to 1 (both included), got 1.5.");
  });

  it('picks key and mode from the mood', () => {
    expect(compose({ ...plan, mood: { valence: -0.8, arousal: 0 } }, { style: 'cinematic' }).key.mode).toBe('minor');
    expect(compose({ ...plan, mood: { valence: 0.8, arousal: 0 } }, { style: 'acoustic' }).key.mode).toBe('major');
    expect(() => compose(plan, { style: 'polka' })).toThrow(/Unknown style "polka"/);
  });
});

describe('compose: seeds', () => {
  it('gives byte-identical MIDI for the same plan and seed, and different music for other seeds', () => {
    const plan = typicalPlan();
    const hash = (seed: number) => createHash('sha256').update(compositionToMidi(compose(plan, { style: 'lofi', seed }))).digest('hex');
    expect(hash(11)).toBe(hash(11));
    const others = new Set([hash(11), hash(12), hash(13), hash(14)]);
    expect(others.size).toBe(4);
  });
});

describe('fadeLength', () => {
  it('fades up to 2 s, never before the last strong accent when there is room, never past the end', () => {
    expect(fadeLength(30, [10])).toBe(2);
    expect(fadeLength(5, [1])).toBe(0.5);
    expect(fadeLength(30, [29])).toBeCloseTo(0.75, 9);
    expect(fadeLength(30, [29.95])).toBe(0.1);
    expect(fadeLength(0.05, [])).toBe(0.05);
  });
});
