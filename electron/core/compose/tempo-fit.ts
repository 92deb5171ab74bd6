/** Tempo and phase fitting: where the beats go so the strong accents land on them. */

export interface TimedAccent {
  timeSec: number;
  strength: number;
}

/** One stretch of constant tempo: `beats` beats from startSec to endSec, bars of `beatsPerBar`. */
export interface TempoSegment {
  startSec: number;
  endSec: number;
  bpm: number;
  /** Whole beats, except possibly the last segment of a locked-tempo fit. */
  beats: number;
  /** 4, or the pickup's length for the lead-in before the first downbeat of a locked fit. */
  beatsPerBar: number;
}

export const MIN_BPM = 60;
export const MAX_BPM = 180;
/** An accent this close to a grid position counts as on it. */
export const ON_GRID_SEC = 0.02;

export interface FitOptions {
  /** The mood's preferred tempo range (inside 60..180). */
  range: readonly [number, number];
  /** The preferred tempo inside the range. */
  target: number;
  /** The user's locked tempo: one tempo for the whole clip, only the phase is fitted. */
  locked?: number | null;
}

const log2 = Math.log2;
const RATIO_10PCT = log2(1.1);

function weight(a: TimedAccent): number {
  return a.strength >= 0.5 ? 2 * a.strength : a.strength;
}

/**
 * How well the accents in [startSec, endSec) sit on a grid of beat length `beatSec` whose
 * downbeats are at `downbeatSec` + k·4·beatSec: an accent on a beat scores its weight (1.5× on
 * a downbeat), on an eighth 0.5×, on a sixteenth 0.2×, elsewhere 0. Strong accents weigh double.
 */
export function alignmentScore(accents: readonly TimedAccent[], startSec: number, endSec: number, beatSec: number, downbeatSec: number): number {
  let score = 0;
  for (const a of accents) {
    if (a.timeSec < startSec || a.timeSec >= endSec) continue;
    const w = weight(a);
    const pos = (a.timeSec - downbeatSec) / beatSec;
    const k = Math.round(pos);
    if (Math.abs(pos - k) * beatSec <= ON_GRID_SEC) {
      score += w * (((k % 4) + 4) % 4 === 0 ? 1.5 : 1);
      continue;
    }
    if (Math.abs(pos * 2 - Math.round(pos * 2)) * beatSec * 0.5 <= ON_GRID_SEC) score += 0.5 * w;
    else if (Math.abs(pos * 4 - Math.round(pos * 4)) * beatSec * 0.25 <= ON_GRID_SEC) score += 0.2 * w;
  }
  return score;
}

function rangePenalty(bpm: number, o: FitOptions): number {
  const [lo, hi] = o.range;
  const out = bpm < lo ? log2(lo / bpm) : bpm > hi ? log2(bpm / hi) : 0;
  return (6 * out) / RATIO_10PCT + (0.3 * Math.abs(log2(bpm / o.target))) / RATIO_10PCT;
}

/**
 * Section boundaries: 0, the strong cuts that leave at least `minSectionSec` on both sides
 * (taken in time order), and the end. Tempo may change only at these.
 */
export function sectionBoundaries(cutTimes: readonly number[], durationSec: number, minSectionSec: number): number[] {
  const b = [0];
  for (const t of [...cutTimes].sort((x, y) => x - y)) {
    if (t - b[b.length - 1]! >= minSectionSec && durationSec - t >= minSectionSec) b.push(t);
  }
  b.push(durationSec);
  return b;
}

interface Candidate {
  beats: number;
  bpm: number;
  local: number;
}

const CANDIDATES_PER_SECTION = 40;

/**
 * Piecewise-constant tempo. Unlocked: each section holds a whole number of beats, so every
 * section boundary (a cut) is exactly a downbeat; the beat count is chosen by dynamic
 * programming over all sections, maximising accent alignment + whole-bar bonus − distance
 * from the mood's range − tempo jumps between sections. Locked: the given tempo everywhere after
 * a short pickup; the phase (first downbeat) is the one that puts the most accent weight on the
 * grid.
 */
export function fitTempo(accents: readonly TimedAccent[], bounds: readonly number[], o: FitOptions): TempoSegment[] {
  if (bounds.length < 2) throw new RangeError('Tempo fitting needs at least one section.');
  const end = bounds[bounds.length - 1]!;
  if (o.locked != null) return fitLocked(accents, end, o.locked);

  const sections = bounds.slice(0, -1).map((s, i) => ({ start: s, end: bounds[i + 1]! }));
  const cands: Candidate[][] = sections.map(({ start, end }) => {
    const len = end - start;
    const lo = Math.max(1, Math.ceil((len * MIN_BPM) / 60 - 1e-9));
    const hi = Math.max(lo, Math.floor((len * MAX_BPM) / 60 + 1e-9));
    const list: Candidate[] = [];
    for (let n = lo; n <= hi; n++) {
      const bpm = (60 * n) / len;
      // Whole bars matter more than one more accent on a beat: off-grid accents are hit anyway.
      const bar = n % 4 === 0 ? 2.5 : n % 2 === 0 ? 1 : 0;
      list.push({ beats: n, bpm, local: alignmentScore(accents, start + 1e-9, end, len / n, start) + bar - rangePenalty(bpm, o) });
    }
    list.sort((a, b) => b.local - a.local || a.beats - b.beats);
    return list.slice(0, CANDIDATES_PER_SECTION);
  });
  // Viterbi over sections.
  const score: number[][] = [cands[0]!.map((c) => c.local)];
  const from: number[][] = [cands[0]!.map(() => -1)];
  for (let i = 1; i < cands.length; i++) {
    const row: number[] = [], back: number[] = [];
    for (const c of cands[i]!) {
      let best = -Infinity, arg = 0;
      cands[i - 1]!.forEach((p, j) => {
        const s = score[i - 1]![j]! - (2 * Math.abs(log2(c.bpm / p.bpm))) / RATIO_10PCT;
        if (s > best) {
          best = s;
          arg = j;
        }
      });
      row.push(best + c.local);
      back.push(arg);
    }
    score.push(row);
    from.push(back);
  }
  const last = score[score.length - 1]!;
  let k = last.indexOf(Math.max(...last));
  const picked: Candidate[] = [];
  for (let i = cands.length - 1; i >= 0; i--) {
    picked.unshift(cands[i]![k]!);
    k = from[i]![k]!;
  }
  return sections.map((s, i) => ({ startSec: s.start, endSec: s.end, bpm: picked[i]!.bpm, beats: picked[i]!.beats, beatsPerBar: 4 }));
}

function fitLocked(accents: readonly TimedAccent[], end: number, bpm: number): TempoSegment[] {
  if (!(bpm >= 40 && bpm <= 240)) throw new RangeError(`A locked tempo must be from 40 to 240 BPM (both included), got ${bpm}.`);
  const beat = 60 / bpm, bar = 4 * beat;
  const phases = new Set<number>([0]);
  for (const a of accents) if (a.strength >= 0.5) phases.add(Math.round(((a.timeSec % bar) + bar) % bar * 1e6) / 1e6);
  let best = 0, bestScore = -Infinity;
  for (const p of [...phases].sort((x, y) => x - y)) {
    const s = alignmentScore(accents, 0, end, beat, p);
    if (s > bestScore + 1e-9) {
      best = p;
      bestScore = s;
    }
  }
  // A pickup shorter than a quarter beat would need an absurd tempo: start one bar later.
  let first = best;
  if (first > 0 && first < beat / 4) first += bar;
  if (first >= end) first = 0;
  const body = (start: number): TempoSegment => ({ startSec: start, endSec: end, bpm, beats: (end - start) / beat, beatsPerBar: 4 });
  if (first === 0) return [body(0)];
  const pickupBeats = Math.max(1, Math.round(first / beat));
  return [{ startSec: 0, endSec: first, bpm: (60 * pickupBeats) / first, beats: pickupBeats, beatsPerBar: pickupBeats }, body(first)];
}
