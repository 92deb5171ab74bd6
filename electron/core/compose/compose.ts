import { STRONG_ACCENT, type RhythmPlan } from '../rhythm/index.ts';
import { CHANNELS, type Bar, type Composition, type NoteEvent } from './arrangement.ts';
import { densityLevel, energyCurve, meanEnergy, withIntensity } from './energy.ts';
import { bassPart, drumPart, harmonyPart, leadPart, stepTick, type Fill } from './parts.ts';
import { Prng } from './prng.ts';
import { styleByName, styleForMood, type StyleName, type StylePreset } from './styles.ts';
import { fitTempo, sectionBoundaries, type TempoSegment } from './tempo-fit.ts';
import { PPQ, TempoMap, type TempoChange } from './tempo-map.ts';
import { diatonicChord, dominantChord, voiceLead, type Chord, type Key, type Mode } from './theory.ts';

export interface ComposeOptions {
  style?: StyleName | string;
  seed?: number;
  /** Lock the tempo (BPM); otherwise the plan's locked tempo, else fitted. */
  tempo?: number | null;
  /** 0..1, 0.5 (default) follows the picture; lower is sparser, higher is busier. */
  intensity?: number;
}

/** Shortest section: tempo changes and new material come no more often than this. */
export const MIN_SECTION_SEC = 3;
/** The final tonic chord starts at least this long before the clip's end. */
export const FINAL_HOLD_SEC = 1;
/** Notes of other parts this close to a strong accent move onto it (no flams around a hit). */
export const ACCENT_PULL_SEC = 0.06;

const MAJORISH: readonly (readonly number[])[] = [[0, 4, 5, 3], [0, 5, 3, 4], [5, 3, 0, 4], [0, 3, 5, 4], [0, 3, 0, 4]];
const MINORISH: readonly (readonly number[])[] = [[0, 5, 2, 6], [0, 3, 5, 4], [0, 6, 5, 6], [0, 5, 3, 4], [0, 3, 6, 2]];

/** Keys a brighter picture leans to (sharp keys) and a darker one (flat keys). */
const BRIGHT_TONICS = [2, 4, 7, 9, 11, 0];
const DARK_TONICS = [0, 5, 10, 3, 8, 2];

/** Mood → key: mode by valence (the style's choice of mode per mood), tonic by brightness and seed. */
export function chooseKey(style: StylePreset, valence: number, brightness: number | undefined, rng: Prng): Key {
  const mode: Mode = valence > 0.15 ? style.modes.positive : valence < -0.15 ? style.modes.negative : style.modes.neutral;
  const pool = (brightness ?? 0.5) >= 0.45 ? BRIGHT_TONICS : DARK_TONICS;
  return { tonic: rng.pick(pool), mode };
}

/** Mood → preferred tempo inside the style's range: calm footage low, excited footage high. */
export function targetTempo(style: StylePreset, arousal: number): number {
  const [lo, hi] = style.tempoRange;
  return lo + ((Math.max(-1, Math.min(1, arousal)) + 1) / 2) * (hi - lo);
}

function buildTempoMap(segments: readonly TempoSegment[]): { map: TempoMap; segTicks: number[] } {
  const changes: TempoChange[] = [];
  const segTicks: number[] = [];
  let tick = 0;
  for (const s of segments) {
    segTicks.push(tick);
    const us = Math.round(60e6 / s.bpm);
    if (!changes.length || changes[changes.length - 1]!.usPerQuarter !== us) changes.push({ tick, usPerQuarter: us });
    tick += Math.round(s.beats * PPQ);
  }
  return { map: new TempoMap(changes), segTicks };
}

/**
 * The built-in composer: a deterministic function of (plan, style, seed, tempo).
 * Sections follow the strong cuts; the tempo fit puts strong accents on beats and downbeats;
 * every accent with strength ≥ 0.5 gets a note onset at its exact time (to the tick, < 0.5 ms),
 * on the grid or as a stab between grid steps.
 */
export function compose(plan: RhythmPlan, opts: ComposeOptions = {}): Composition {
  const seed = opts.seed ?? 1;
  const rng = new Prng(seed);
  const style = styleByName(opts.style ?? styleForMood(plan.mood.valence, plan.mood.arousal));
  const key = chooseKey(style, plan.mood.valence, plan.mood.brightness, rng.fork('key'));
  const dur = plan.durationSec;
  const strong = plan.accents.filter((a) => a.strength >= STRONG_ACCENT);

  // Sections and tempo.
  const strongCuts = strong.filter((a) => a.kind === 'cut').map((a) => a.timeSec);
  const minSection = Math.min(MIN_SECTION_SEC, dur);
  const bounds = sectionBoundaries(strongCuts, dur, minSection);
  const locked = opts.tempo ?? (plan.tempo?.locked ? plan.tempo.bpm : null);
  const target = targetTempo(style, plan.mood.arousal);
  const segments = fitTempo(plan.accents, bounds, { range: style.tempoRange, target, locked });
  const { map, segTicks } = buildTempoMap(segments);
  const endTick = Math.round(map.tickOfSec(dur));

  // Bars, sections, phrases, energy.
  const energy = withIntensity(energyCurve(plan.odfLR, plan.motionLR, plan.mood.arousal), opts.intensity ?? 0.5);
  const sectionOf = (sec: number) => {
    let s = 0;
    for (let i = 1; i < bounds.length - 1; i++) if (sec >= bounds[i]! - 1e-6) s = i;
    return s;
  };
  const placeholder: Chord = diatonicChord(key, 0, 'triad');
  const bars: Bar[] = [];
  segments.forEach((seg, si) => {
    const segEnd = si + 1 < segments.length ? segTicks[si + 1]! : endTick;
    for (let t = segTicks[si]!; t < segEnd - PPQ / 8; t += seg.beatsPerBar * PPQ) {
      const barEnd = Math.min(segEnd, t + seg.beatsPerBar * PPQ);
      const t0 = map.secOfTick(t), t1 = map.secOfTick(barEnd);
      bars.push({
        index: bars.length, tick: t, beats: (barEnd - t) / PPQ, endTick: barEnd, section: sectionOf(t0 + 0.25 * (t1 - t0)),
        barInSection: 0, phrase: 0, barInPhrase: 0, energy: meanEnergy(energy, t0, t1), level: 0, chord: placeholder, final: false,
      });
    }
  });
  let phrase = -1;
  bars.forEach((b, i) => {
    const prev = bars[i - 1];
    b.barInSection = prev && prev.section === b.section ? prev.barInSection + 1 : 0;
    if (b.barInSection % 8 === 0) phrase++;
    b.phrase = phrase;
    b.barInPhrase = b.barInSection % 8;
  });
  const sectionEnergy = new Map<number, number[]>();
  for (const b of bars) sectionEnergy.set(b.section, [...(sectionEnergy.get(b.section) ?? []), b.energy]);
  for (const b of bars) {
    const list = sectionEnergy.get(b.section)!;
    const mean = list.reduce((x, y) => x + y, 0) / list.length;
    b.level = densityLevel(0.6 * mean + 0.4 * b.energy);
  }
  if (bars.length > 4) bars[0]!.level = Math.min(bars[0]!.level, 1);

  // The ending: the last bar starting at least FINAL_HOLD_SEC before the end holds the tonic.
  let finalIdx = bars.length - 1;
  while (finalIdx > 0 && dur - map.secOfTick(bars[finalIdx]!.tick) < Math.min(FINAL_HOLD_SEC, dur / 2)) finalIdx--;
  bars.length = finalIdx + 1;
  const finalBar = bars[finalIdx]!;
  finalBar.final = true;
  finalBar.endTick = endTick;
  finalBar.beats = (endTick - finalBar.tick) / PPQ;

  // Harmony: a progression per section (A/B alternation, back to A at the end), V → I cadence.
  const hr = rng.fork('harmony');
  const minorish = key.mode === 'minor' || key.mode === 'dorian';
  const pool = minorish ? MINORISH : MAJORISH;
  const progA = hr.pick(pool), progB = hr.pick(pool.filter((p) => p !== progA));
  const lastSection = finalBar.section;
  const chordCache = new Map<string, Chord>();
  const chordOf = (deg: number) => {
    const k = `${deg}`;
    if (!chordCache.has(k)) chordCache.set(k, diatonicChord(key, deg, style.colour));
    return chordCache.get(k)!;
  };
  const tonicChord = diatonicChord(key, 0, 'triad');
  const cadence = minorish || key.mode === 'major' ? dominantChord(key) : diatonicChord(key, 4, 'triad');
  // The chord position runs on across short sections (so they do not all sit on the tonic);
  // a section long enough for the whole progression starts it from the top.
  const barsInSection = new Map<number, number>();
  for (const b of bars) barsInSection.set(b.section, (barsInSection.get(b.section) ?? 0) + 1);
  let step = 0, onChord = 0;
  bars.forEach((b, i) => {
    const prog = b.section % 2 === 1 && b.section !== lastSection ? progB : progA;
    const bpc = b.level >= 2 ? style.barsPerChord.busy : style.barsPerChord.calm;
    if (i > 0 && b.section !== bars[i - 1]!.section) {
      step = barsInSection.get(b.section)! >= 4 ? 0 : step + 1;
      onChord = 0;
    } else if (onChord >= bpc) {
      step++;
      onChord = 0;
    }
    b.chord = chordOf(prog[step % prog.length]!);
    onChord++;
  });
  finalBar.chord = tonicChord;
  if (finalIdx > 0) bars[finalIdx - 1]!.chord = cadence;

  // Fills into strong cuts (not the first second: nothing to fill from).
  const fills: Fill[] = [];
  for (const t of strongCuts) {
    const tick = Math.round(map.tickOfSec(t));
    if (tick >= finalBar.tick || t < 1) continue;
    const bar = bars.find((b) => tick > b.tick && tick <= b.endTick) ?? bars.find((b) => tick >= b.tick && tick < b.endTick);
    const beats = bar && bar.level >= 2 ? 2 : 1;
    fills.push({ fromTick: Math.max(0, tick - beats * PPQ), toTick: tick });
  }

  const notes: NoteEvent[] = [
    ...drumPart(bars, style, fills, rng.fork('drums')),
    ...bassPart(bars, style, key, rng.fork('bass')),
    ...harmonyPart(bars, style),
    ...leadPart(bars, style, key, rng.fork('lead')),
  ];

  const accentTicks = strong.map((a) => ({ timeSec: a.timeSec, tick: Math.round(map.tickOfSec(a.timeSec)), strength: a.strength }));
  const withHits = hitAccents(notes, plan, accentTicks, bars, style, map, endTick);

  return {
    style, key, seed, durationSec: dur, endTick, tempoSegments: segments, tempoMap: map, bars,
    sectionStarts: bounds.slice(0, -1),
    notes: finishNotes(withHits, endTick),
    channels: channelSetup(style, plan.mood.valence),
    fadeOutSec: fadeLength(dur, strong.map((a) => a.timeSec)),
    accentTicks,
  };
}

/**
 * The closing fade: up to 2 s (10 % of a short clip), ending exactly at the clip's end, and
 * starting after the last strong accent when that leaves at least 0.1 s, so no hit is faded.
 */
export function fadeLength(durationSec: number, strongTimes: readonly number[]): number {
  let fade = Math.min(2, Math.max(0.3, durationSec * 0.1));
  const last = strongTimes.length ? Math.max(...strongTimes) : -Infinity;
  const room = durationSec - (last + 0.25);
  if (room < fade) fade = Math.max(0.1, room);
  return Math.min(fade, durationSec);
}

function channelSetup(style: StylePreset, valence: number): Composition['channels'] {
  const lead = valence < -0.2 && style.darkLead ? style.darkLead : style.lead.program;
  const c = (channel: number, name: string, p: { program: number; bankMSB?: number }, volume: number, pan: number) =>
    ({ channel, name, program: p.program, bankMSB: p.bankMSB ?? 0, volume, pan, reverb: style.reverb, chorus: style.chorus });
  const list = [
    c(CHANNELS.harmony, 'harmony', style.harmony.program, 115, 52),
    c(CHANNELS.bass, 'bass', style.bass.program, 110, 64),
    c(CHANNELS.lead, 'lead', lead, 110, 72),
    c(CHANNELS.hit, 'hits', style.hit.program, 90, 64),
    { ...c(CHANNELS.drums, 'drums', { program: style.drumKit }, 80, 64), reverb: Math.min(style.reverb, 60) },
  ];
  if (style.pad) list.splice(1, 0, c(CHANNELS.pad, 'pad', style.pad.program, 90, 76));
  return list;
}

/**
 * Every strong accent gets an onset at its exact tick: drums (crash + kick on cuts, kick + the
 * style's accent voice otherwise) and a short stab of the current chord on the hit channel.
 * Onsets of other notes within ACCENT_PULL_SEC of the accent move onto it, so the hit is one
 * clean attack rather than a flam. Weaker accents that fall on a grid step get a softer kick.
 */
function hitAccents(
  notes: NoteEvent[], plan: RhythmPlan, accentTicks: Composition['accentTicks'], bars: readonly Bar[],
  style: StylePreset, map: TempoMap, endTick: number,
): NoteEvent[] {
  const v = style.drumVoices;
  const out = [...notes];
  const barAt = (tick: number) => bars.find((b) => tick >= b.tick && tick < b.endTick) ?? bars[bars.length - 1]!;
  const strongTicks = accentTicks.filter((a) => a.tick < endTick);
  // Pull neighbouring onsets onto the accents.
  for (const n of out) {
    const sec = map.secOfTick(n.tick);
    let best: number | null = null, bestD = Infinity;
    for (const a of strongTicks) {
      const d = Math.abs(a.timeSec - sec);
      if (d < bestD) {
        bestD = d;
        best = a.tick;
      }
    }
    if (best !== null && bestD <= ACCENT_PULL_SEC && n.tick !== best) {
      const end = n.tick + n.durationTicks;
      n.tick = best;
      n.durationTicks = Math.max(PPQ / 16, end - best);
    }
  }
  let prevStab: number[] | null = null;
  for (const a of strongTicks) {
    const kind = plan.accents.find((p) => p.timeSec === a.timeSec)?.kind ?? 'user';
    const vel = Math.round(80 + 30 * a.strength);
    const add = (channel: number, pitch: number, velocity: number, durationTicks: number) =>
      out.push({ channel, pitch, velocity: Math.min(127, velocity), tick: a.tick, durationTicks: Math.max(1, Math.min(durationTicks, endTick - a.tick)) });
    add(CHANNELS.drums, v.kick, vel, PPQ / 4);
    if (kind === 'cut' || a.strength >= 0.9) add(CHANNELS.drums, v.crash, vel, PPQ * 2);
    else add(CHANNELS.drums, v.accent, Math.round(vel * 0.9), PPQ / 4);
    const bar = barAt(a.tick);
    const h = style.hit;
    const stab: number[] = style.name === 'cinematic'
      ? [bar.chord.root + 12 * Math.ceil((h.low - bar.chord.root) / 12)]
      : voiceLead(bar.chord, prevStab, h.low, h.high, 3);
    prevStab = stab;
    for (const p of stab) add(CHANNELS.hit, p, Math.round(vel * h.level), PPQ / 2);
  }
  // Weak accents: a soft kick when they sit on a sixteenth of the grid.
  for (const a of plan.accents) {
    if (a.strength >= STRONG_ACCENT || a.strength < 0.2) continue;
    const tick = Math.round(map.tickOfSec(a.timeSec));
    const bar = barAt(tick);
    const onStep = Array.from({ length: Math.floor(bar.beats * 4) }, (_, s) => stepTick(bar, s, style.swing)).some((t) => Math.abs(t - tick) <= PPQ / 32);
    if (onStep && tick < endTick) out.push({ channel: CHANNELS.drums, pitch: v.kick, velocity: Math.round(60 + 40 * a.strength), tick, durationTicks: PPQ / 8 });
  }
  return out;
}

/** Clamp to the clip, drop duplicates (same channel, pitch and tick: loudest wins), sort. */
function finishNotes(notes: NoteEvent[], endTick: number): NoteEvent[] {
  const byKey = new Map<string, NoteEvent>();
  for (const n of notes) {
    if (n.tick < 0 || n.tick >= endTick) continue;
    const m = { ...n, durationTicks: Math.max(1, Math.min(n.durationTicks, endTick - n.tick)), velocity: Math.max(1, Math.min(127, n.velocity)) };
    const k = `${m.channel}:${m.pitch}:${m.tick}`;
    const prev = byKey.get(k);
    if (!prev || m.velocity > prev.velocity || (m.velocity === prev.velocity && m.durationTicks > prev.durationTicks)) byKey.set(k, m);
  }
  return [...byKey.values()].sort((a, b) => a.tick - b.tick || a.channel - b.channel || a.pitch - b.pitch);
}
