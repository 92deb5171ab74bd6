/** Scales, chords and keys: the small amount of music theory the composer needs. */

export type Mode = 'major' | 'minor' | 'dorian' | 'lydian' | 'mixolydian';

/** Semitone steps of each mode from its tonic. */
export const MODE_STEPS: Record<Mode, readonly number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
};

export const NOTE_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

export interface Key {
  /** Pitch class of the tonic, 0 = C. */
  tonic: number;
  mode: Mode;
}

export function keyName(k: Key): string {
  return `${NOTE_NAMES[k.tonic]} ${k.mode}`;
}

/** Pitch class of scale degree d (0-based, any integer: 7 is the tonic an octave up). */
export function degreePitchClass(k: Key, d: number): number {
  const steps = MODE_STEPS[k.mode];
  const oct = Math.floor(d / 7);
  return (k.tonic + steps[d - oct * 7]! + 12 * oct + 1200) % 12;
}

/** MIDI pitch of scale degree d, counting from the tonic at or above `base`'s octave. */
export function degreeToMidi(k: Key, d: number, tonicMidi: number): number {
  const steps = MODE_STEPS[k.mode];
  const oct = Math.floor(d / 7);
  return tonicMidi + 12 * oct + steps[d - oct * 7]!;
}

/** Tonic MIDI note of `k` in the octave starting at `low` (low ≤ result < low + 12). */
export function tonicAtOrAbove(k: Key, low: number): number {
  return low + ((k.tonic - (low % 12) + 12) % 12);
}

export type ChordColour = 'triad' | 'seventh' | 'add9' | 'sus2' | 'sus4';

/** A chord as scale-degree root plus the pitch classes it contains (root first). */
export interface Chord {
  degree: number;
  root: number;
  pitchClasses: number[];
}

/** Diatonic chord on a degree, stacked in thirds of the mode, with a colour. */
export function diatonicChord(k: Key, degree: number, colour: ChordColour): Chord {
  const pc = (d: number) => degreePitchClass(k, degree + d);
  let pcs: number[];
  switch (colour) {
    case 'seventh': pcs = [pc(0), pc(2), pc(4), pc(6)]; break;
    case 'add9': pcs = [pc(0), pc(2), pc(4), pc(1)]; break;
    case 'sus2': pcs = [pc(0), pc(1), pc(4)]; break;
    case 'sus4': pcs = [pc(0), pc(3), pc(4)]; break;
    default: pcs = [pc(0), pc(2), pc(4)];
  }
  return { degree, root: pcs[0]!, pitchClasses: pcs };
}

/** The dominant (major V, with a leading tone) even in minor modes: the cadence before the end. */
export function dominantChord(k: Key): Chord {
  const root = (k.tonic + 7) % 12;
  return { degree: 4, root, pitchClasses: [root, (root + 4) % 12, (root + 7) % 12] };
}

/**
 * Voicing with the least total movement from `prev` (voice leading): every way of placing the
 * chord's pitch classes in close or open position inside [low, high] is tried, and the one
 * whose sorted voices move least from the previous sorted voices wins (ties: lower).
 */
export function voiceLead(chord: Chord, prev: readonly number[] | null, low: number, high: number, voices = 4): number[] {
  const pcs = chord.pitchClasses;
  const required = pcs.length > voices ? pcs.slice(0, voices) : pcs;
  const pool: number[] = [];
  for (let n = low; n <= high; n++) if (pcs.includes(n % 12)) pool.push(n);
  const candidates: number[][] = [];
  // Every choice of `voices` chord notes in range that contains each required pitch class,
  // without gaps wider than an octave between neighbouring voices.
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === voices) {
      if (required.every((pc) => chosen.some((n) => n % 12 === pc))) candidates.push([...chosen]);
      return;
    }
    for (let i = from; i < pool.length; i++) {
      const n = pool[i]!;
      if (chosen.length && n - chosen[chosen.length - 1]! > 12) break;
      chosen.push(n);
      pick(i + 1, chosen);
      chosen.pop();
    }
  };
  pick(0, []);
  if (!candidates.length && voices > 1) return voiceLead(chord, prev, low, high, voices - 1);
  if (!candidates.length) throw new RangeError(`No voicing of the chord fits between MIDI notes ${low} and ${high}.`);
  // Compact voicings sound like one instrument's chord; wide ones only when they lead better.
  const span = (c: readonly number[]) => c[c.length - 1]! - c[0]!;
  if (!prev || prev.length === 0) {
    const mid = (low + high) / 2;
    const cost = (c: readonly number[]) => Math.abs(mean(c) - mid) + 0.5 * span(c);
    return candidates.reduce((best, c) => (cost(c) < cost(best) ? c : best));
  }
  const p = [...prev].sort((a, b) => a - b);
  let best = candidates[0]!, bestCost = Infinity;
  for (const c of candidates) {
    let cost = 0.25 * span(c);
    for (let i = 0; i < c.length; i++) cost += Math.abs(c[i]! - p[Math.min(i, p.length - 1)]!);
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Nearest pitch ≥ low and ≤ high with pitch class pc, closest to `near`. */
export function nearestWithPitchClass(pc: number, near: number, low: number, high: number): number {
  let best = -1;
  for (let n = low; n <= high; n++) if (n % 12 === pc && (best < 0 || Math.abs(n - near) < Math.abs(best - near))) best = n;
  if (best < 0) throw new RangeError(`No MIDI note with pitch class ${pc} between ${low} and ${high}.`);
  return best;
}
