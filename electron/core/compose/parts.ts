import { CHANNELS, type Bar, type NoteEvent } from './arrangement.ts';
import { PPQ } from './tempo-map.ts';
import type { Prng } from './prng.ts';
import type { StylePreset } from './styles.ts';
import { degreeToMidi, nearestWithPitchClass, tonicAtOrAbove, voiceLead, type Key } from './theory.ts';

const STEP = PPQ / 4;

/** Tick of sixteenth step s of a bar, with swing pushing the off-sixteenths late. */
export function stepTick(bar: Bar, step: number, swing: number): number {
  const pair = Math.floor(step / 2);
  return bar.tick + pair * 2 * STEP + (step % 2 ? Math.round(swing * 2 * STEP) : 0);
}

function stepsInBar(bar: Bar): number {
  return Math.floor(bar.beats * 4 + 1e-9);
}

function vel(ch: string, level: number, rng: Prng): number {
  const base = ch === 'x' ? 100 : 70;
  return Math.max(1, Math.min(127, Math.round(base * level + (rng.next() - 0.5) * 10)));
}

/** Fill windows (tick ranges) before strong cuts: the drums play a roll there instead of the groove. */
export interface Fill {
  fromTick: number;
  toTick: number;
}

export function drumPart(bars: readonly Bar[], style: StylePreset, fills: readonly Fill[], rng: Prng): NoteEvent[] {
  const out: NoteEvent[] = [];
  const v = style.drumVoices;
  const inFill = (t: number) => fills.some((f) => t >= f.fromTick && t < f.toTick);
  for (const bar of bars) {
    if (bar.final) {
      out.push({ channel: CHANNELS.drums, pitch: v.crash, velocity: 100, tick: bar.tick, durationTicks: PPQ });
      out.push({ channel: CHANNELS.drums, pitch: v.kick, velocity: 100, tick: bar.tick, durationTicks: PPQ / 2 });
      continue;
    }
    const n = stepsInBar(bar);
    const lanes: [string, number][] = [
      [style.drums.kick[bar.level]!, v.kick], [style.drums.snare[bar.level]!, v.snare],
      [style.drums.hat[bar.level]!, v.hat], [style.drums.openHat[bar.level]!, v.openHat],
    ];
    for (const [pattern, pitch] of lanes) {
      for (let s = 0; s < n; s++) {
        const c = pattern[s % 16]!;
        if (c === '.') continue;
        const tick = stepTick(bar, s, style.swing);
        if (inFill(tick)) continue;
        out.push({ channel: CHANNELS.drums, pitch, velocity: vel(c, style.drumLevel, rng), tick, durationTicks: STEP });
      }
    }
  }
  for (const f of fills) {
    const steps = Math.max(1, Math.round((f.toTick - f.fromTick) / STEP));
    const bar = bars.find((b) => f.fromTick >= b.tick && f.fromTick < b.endTick);
    const sparse = !bar || bar.level <= 1;
    for (let i = 0; i < steps; i++) {
      if (sparse && i % 2) continue;
      const tick = f.fromTick + i * STEP;
      const pitch = i < steps / 2 ? v.snare : v.toms[Math.min(v.toms.length - 1, Math.floor(((i - steps / 2) / (steps / 2)) * v.toms.length))]!;
      const velocity = Math.round((60 + (45 * (i + 1)) / steps) * style.drumLevel);
      out.push({ channel: CHANNELS.drums, pitch, velocity, tick, durationTicks: STEP });
    }
  }
  return out;
}

export function bassPart(bars: readonly Bar[], style: StylePreset, key: Key, rng: Prng): NoteEvent[] {
  const out: NoteEvent[] = [];
  const low = 12 * (style.bass.octave + 1) + 4; // E of the octave: keeps roots in a playable bass range
  for (const bar of bars) {
    const rootNote = nearestWithPitchClass(bar.chord.root, low + 6, low, low + 11);
    if (bar.final) {
      out.push({ channel: CHANNELS.bass, pitch: tonicAtOrAbove(key, low), velocity: Math.round(95 * style.bass.level), tick: bar.tick, durationTicks: bar.endTick - bar.tick });
      continue;
    }
    const pattern = style.bass.pattern[bar.level]!;
    const n = stepsInBar(bar);
    const onsets: number[] = [];
    for (let s = 0; s < n; s++) if (pattern[s % 16] !== '.') onsets.push(s);
    onsets.forEach((s, i) => {
      const tick = stepTick(bar, s, style.swing);
      const next = i + 1 < onsets.length ? stepTick(bar, onsets[i + 1]!, style.swing) : bar.endTick;
      const fifth = s === 8 && (style.name === 'acoustic' || style.name === 'lofi');
      const octave = style.name === 'electronic' && bar.level === 3 && s % 4 === 2;
      const pitch = fifth ? nearestWithPitchClass((bar.chord.root + 7) % 12, rootNote + 5, rootNote, rootNote + 11) : rootNote + (octave ? 12 : 0);
      const c = pattern[s % 16]!;
      out.push({ channel: CHANNELS.bass, pitch, velocity: vel(c, style.bass.level, rng), tick, durationTicks: Math.max(STEP / 2, Math.round((next - tick) * 0.92)) });
    });
  }
  return out;
}

/** Chords with voice leading: each voicing moves as little as possible from the last. */
export function harmonyPart(bars: readonly Bar[], style: StylePreset): NoteEvent[] {
  const out: NoteEvent[] = [];
  let prev: number[] | null = null;
  let prevPad: number[] | null = null;
  const h = style.harmony;
  for (let bi = 0; bi < bars.length; bi++) {
    const bar = bars[bi]!;
    const voicing = voiceLead(bar.chord, prev, h.low, h.high);
    prev = voicing;
    const chordChanges = bi === 0 || bars[bi - 1]!.chord !== bar.chord;
    const pattern = bar.final ? 'x...............' : h.rhythm[bar.level]!;
    const n = stepsInBar(bar);
    const onsets: number[] = [];
    for (let s = 0; s < n; s++) if (pattern[s % 16] !== '.') onsets.push(s);
    if (!onsets.length) onsets.push(0);
    onsets.forEach((s, i) => {
      const tick = stepTick(bar, s, style.swing);
      const next = i + 1 < onsets.length ? stepTick(bar, onsets[i + 1]!, style.swing) : bar.endTick;
      const c = pattern[s % 16] ?? 'x';
      const len = h.sustain || bar.final ? next - tick : Math.max(STEP, Math.round((next - tick) * 0.85));
      voicing.forEach((pitch, vi) => {
        // A guitar strums low to high, 12 ticks apart; the first string keeps the exact onset.
        const strum = style.name === 'acoustic' ? vi * 12 : 0;
        out.push({ channel: CHANNELS.harmony, pitch, velocity: Math.round((c === 'x' ? 88 : 68) * h.level), tick: tick + strum, durationTicks: Math.max(STEP / 2, len - strum) });
      });
    });
    if (style.pad && (bar.level >= style.pad.fromLevel || bar.final) && (chordChanges || bi === 0 || bars[bi - 1]!.level < style.pad.fromLevel)) {
      let end = bi + 1;
      while (end < bars.length && bars[end]!.chord === bar.chord && bars[end]!.level >= style.pad.fromLevel) end++;
      const padVoicing = voiceLead(bar.chord, prevPad, h.low + 5, h.high + 7, 3);
      prevPad = padVoicing;
      const stop = bars[end - 1]!.endTick;
      for (const pitch of padVoicing) {
        out.push({ channel: CHANNELS.pad, pitch, velocity: Math.round(80 * style.pad.level), tick: bar.tick, durationTicks: stop - bar.tick });
      }
    }
  }
  return out;
}

interface MotifNote {
  beat: number;
  dur: number;
  deg: number;
}

const RHYTHM_CELLS: readonly (readonly [number, number][])[] = [
  [[0, 1.5], [1.5, 0.5], [2, 2]],
  [[0, 1], [1, 1], [2, 1], [3, 1]],
  [[0, 0.5], [0.5, 0.5], [1, 1], [2, 1.5], [3.5, 0.5]],
  [[0.5, 0.5], [1, 1], [2, 0.5], [2.5, 1.5]],
];
const CLOSING_CELLS: readonly (readonly [number, number][])[] = [
  [[0, 2], [2, 1], [3, 1]],
  [[0, 3], [3, 1]],
  [[0, 1], [1, 3]],
];

/** A two-bar motif: a rhythm cell and a closing cell, with a seeded stepwise contour in scale degrees. */
export function makeMotif(rng: Prng): MotifNote[] {
  const cells = [rng.pick(RHYTHM_CELLS), rng.pick(CLOSING_CELLS)];
  let deg = rng.pick([0, 2, 4]);
  const out: MotifNote[] = [];
  cells.forEach((cell, bar) => {
    for (const [beat, dur] of cell) {
      out.push({ beat: bar * 4 + beat, dur, deg });
      deg += rng.pick([-2, -1, 1, 1, 2, -1, 3]);
      deg = Math.max(-3, Math.min(9, deg));
    }
  });
  return out;
}

/** The motif's development: statement, answer a step higher, inversion, then rhythmic diminution. */
export function developMotif(m: readonly MotifNote[], variant: number): MotifNote[] {
  const d0 = m[0]!.deg;
  switch (variant % 4) {
    case 1: return m.map((n) => ({ ...n, deg: n.deg + 1 }));
    case 2: return m.map((n) => ({ ...n, deg: 2 * d0 - n.deg }));
    case 3: return m.flatMap((n) => (n.dur >= 1 ? [{ ...n, dur: n.dur / 2 }, { beat: n.beat + n.dur / 2, dur: n.dur / 2, deg: n.deg + 1 }] : [n]));
    default: return [...m];
  }
}

function fitRange(p: number, low: number, high: number): number {
  while (p < low) p += 12;
  while (p > high) p -= 12;
  return p;
}

export function leadPart(bars: readonly Bar[], style: StylePreset, key: Key, rng: Prng): NoteEvent[] {
  const out: NoteEvent[] = [];
  const L = style.lead;
  const tonic = tonicAtOrAbove(key, L.low);
  const motif = makeMotif(rng);
  const arpShapes = [[0, 1, 2, 3], [0, 2, 1, 3], [3, 2, 1, 0], [0, 1, 2, 1]];
  for (const bar of bars) {
    if (bar.final) {
      out.push({ channel: CHANNELS.lead, pitch: fitRange(tonic + 12, L.low, L.high), velocity: Math.round(85 * L.level), tick: bar.tick, durationTicks: bar.endTick - bar.tick });
      continue;
    }
    if (bar.level < L.fromLevel) continue;
    const lift = bar.level === 3 ? 12 : 0;
    if (L.kind === 'arpeggio') {
      const shape = arpShapes[bar.phrase % arpShapes.length]!;
      const tones = voiceLead(bar.chord, null, L.low, bar.level === 3 ? L.high : L.high - 7, 4);
      const per = bar.level >= 3 && style.name === 'electronic' ? 1 : bar.level === 0 ? 4 : 2; // in sixteenths
      const n = Math.floor(bar.beats * 4 + 1e-9);
      for (let s = 0, i = 0; s < n; s += per, i++) {
        const pitch = fitRange(tones[shape[i % shape.length]!]!, L.low, L.high);
        const accent = s % 4 === 0 ? 1 : 0.8;
        out.push({ channel: CHANNELS.lead, pitch, velocity: Math.round(90 * L.level * accent), tick: stepTick(bar, s, style.swing), durationTicks: Math.round(per * (PPQ / 4) * 0.9) });
      }
      continue;
    }
    const phraseVariant = bar.phrase + (bar.barInPhrase >= 4 ? 1 : 0);
    const notes = developMotif(motif, phraseVariant);
    const half = bar.barInPhrase % 2;
    for (const n of notes) {
      if (n.beat < half * 4 || n.beat >= half * 4 + 4) continue;
      const beat = n.beat - half * 4;
      if (beat >= bar.beats) continue;
      let pitch = fitRange(degreeToMidi(key, bar.chord.degree + n.deg, tonic) + lift, L.low, L.high);
      if (Number.isInteger(beat) && beat % 2 === 0 && !bar.chord.pitchClasses.includes(pitch % 12)) {
        // Strong beats sit on a chord tone: the nearest one.
        const options = bar.chord.pitchClasses.map((pc) => nearestWithPitchClass(pc, pitch, L.low, L.high));
        pitch = options.reduce((best, p) => (Math.abs(p - pitch) < Math.abs(best - pitch) ? p : best));
      }
      const tick = bar.tick + Math.round(beat * PPQ);
      const dur = Math.min(Math.round(n.dur * PPQ * 0.95), bar.endTick - tick);
      if (dur <= 0) continue;
      out.push({ channel: CHANNELS.lead, pitch, velocity: Math.round((beat === 0 ? 92 : 80) * L.level), tick, durationTicks: dur });
    }
  }
  return out;
}
