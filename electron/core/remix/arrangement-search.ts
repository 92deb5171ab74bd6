import type { JumpCandidates } from './transitions.ts';

/** What the search needs to know about the track (a subset of TrackAnalysis, so tests can build one). */
export interface SearchTrack {
  durationSec: number;
  beats: Float64Array;
  downbeat: Uint8Array;
  sectionStart: Uint8Array;
  strongOnsets: Float64Array;
  beatsPerBar: number;
}

export interface AimAccent {
  timeSec: number;
  strength: number;
  /** Cuts pull harder than visual beats. */
  cut: boolean;
}

export interface SearchOptions {
  /** The clip's exact duration (s). */
  durationSec: number;
  accents: readonly AimAccent[];
  /** Largest tempo nudge of a segment (fraction of its length, pitch kept); default 0.06. */
  maxStretch?: number;
  /** Shortest stretch of the source between two seams, in bars. */
  minSegmentBars?: number;
  /** Scale of the accent rewards (0: an unaimed remix that only keeps the music continuous). */
  aim?: number;
  /** Grid step of the output-time axis (s); states closer than this merge. */
  gridSec?: number;
  /** Bound on states (beats × tempo steps × grid cells); the grid coarsens to stay under it. */
  maxStates?: number;
  /** Only states within this much of the best score at their output time may jump (a beam); default JUMP_MARGIN, Infinity: all. */
  jumpMargin?: number;
  /** Buffers to reuse from an earlier search (the repair rounds search the same track again and again). */
  scratch?: SearchScratch;
}

/**
 * The search's tables (back pointers of about 11 MB each for a minute of music, and the score ring), kept for the next search:
 * clearing them costs far less than the page faults of fresh ones.
 */
export class SearchScratch {
  private readonly f32: Float32Array[] = [];
  private readonly i32: Int32Array[] = [];

  /** `fill` null: not cleared (the caller writes before it reads). */
  float32(slot: number, size: number, fill: number | null): Float32Array {
    const have = this.f32[slot];
    if (!have || have.length < size) {
      const a = (this.f32[slot] = new Float32Array(size));
      return fill === null || fill === 0 ? a : a.fill(fill);
    }
    const a = have.subarray(0, size);
    return fill === null ? a : a.fill(fill);
  }

  /** Not cleared: the caller writes before it reads. */
  int32(slot: number, size: number): Int32Array {
    const have = this.i32[slot];
    if (!have || have.length < size) return (this.i32[slot] = new Int32Array(size));
    return have.subarray(0, size);
  }
}

/** Values per (cell, index) kept as lists by cell, in the order they were added (counting sort). */
class CellLists {
  private start: Int32Array;
  private at = new Int32Array(0);
  private value = new Float32Array(0);

  constructor(private readonly cells: number) {
    this.start = new Int32Array(cells + 1);
  }

  /** `each` adds every entry; it runs twice (to count, then to fill), adding the same entries in the same order. */
  build(each: (add: (cell: number, at: number, value: number) => void) => void): void {
    const start = this.start;
    each((cell) => start[cell + 1]!++);
    for (let c = 0; c < this.cells; c++) start[c + 1]! += start[c]!;
    this.at = new Int32Array(start[this.cells]!);
    this.value = new Float32Array(start[this.cells]!);
    const next = start.slice(0, this.cells);
    each((cell, at, value) => {
      const i = next[cell]!++;
      this.at[i] = at;
      this.value[i] = value;
    });
  }

  /** Adds cell c's entries into `row` (indexed by `at`), in order: float32 sums as a table would hold them. */
  layOut(c: number, row: Float32Array): void {
    for (let e = this.start[c]!; e < this.start[c + 1]!; e++) row[this.at[e]!] += this.value[e]!;
  }

  /** Zeroes what `layOut` wrote. */
  clear(c: number, row: Float32Array): void {
    for (let e = this.start[c]!; e < this.start[c + 1]!; e++) row[this.at[e]!] = 0;
  }

  /** The float32 sum of cell c's entries at `at`. */
  sumAt(c: number, at: number): number {
    let r = 0;
    for (let e = this.start[c]!; e < this.start[c + 1]!; e++) if (this.at[e] === at) r = Math.fround(r + this.value[e]!);
    return r;
  }
}

export interface Seam {
  /** Output time of the seam (s). */
  outSec: number;
  /** Source time where the music leaves off, and where it resumes. */
  fromSrcSec: number;
  toSrcSec: number;
  fromBeat: number;
  toBeat: number;
  similarity: number;
  predictedFlux: number;
}

export interface Segment {
  srcStartSec: number;
  srcEndSec: number;
  /** Output time where the segment starts. */
  outStartSec: number;
  /** Output length / source length (the tempo nudge, pitch kept): 1 plays it as recorded. */
  lengthFactor: number;
}

export interface Arrangement {
  segments: Segment[];
  seams: Seam[];
  ending: 'real' | 'fade';
  /** The clip's duration: the segments fill it exactly. */
  durationSec: number;
  score: number;
}

/** A hit accent is worth about two ordinary seams, so the search pays for a seam to land one. */
const ACCENT_GAIN = 2;
/** Full reward within ±30 ms of an accent, none past ±60 ms (the sync check counts ±50 ms). */
const ACCENT_FULL = 0.03;
const ACCENT_WINDOW = 0.06;
const SEAM_BASE = 0.35;
const SEAM_SIM_WEIGHT = 2;
/** The real ending is kept unless none fits: a fade costs as much as several missed accents. */
const FADE_COST = 10;
const ONSET_WEIGHT = 0.5;
/** Extra price of a jump that restarts the bar mid-way (a shortened or lengthened bar). */
const BAR_CUT_COST = 0.6;
/** Price of a nudge, per beat and (percent)²: 2 % over 30 s of music costs about one seam. */
const STRETCH_COST = 0.005;
/** Price of a tempo change at a seam, per step. */
const TEMPO_CHANGE_COST = 0.2;
/**
 * The beam: a state more than this below the best one at its output time (about two seams'
 * price) still plays on, but jumps no more. On 80 plans over the two real tracks it found the
 * same arrangements as jumping from every state, in half the time (2.5 changed one, 2 changed two).
 */
export const JUMP_MARGIN = 3;
/** Tempo steps either side of "as recorded"; a seam may move one step. */
const TEMPO_STEPS_EACH_SIDE = 3;

/** The nudges a segment may take: 2·TEMPO_STEPS_EACH_SIDE + 1 length factors evenly over ±maxStretch. */
export function tempoFactors(maxStretch: number): Float64Array {
  if (!(maxStretch > 0)) return Float64Array.of(1);
  return Float64Array.from({ length: 2 * TEMPO_STEPS_EACH_SIDE + 1 }, (_, i) => 1 + ((i - TEMPO_STEPS_EACH_SIDE) / TEMPO_STEPS_EACH_SIDE) * maxStretch);
}

/** Accent reward at each output-time grid cell: the strongest accent near it (see ACCENT_FULL). */
function accentField(accents: readonly AimAccent[], cells: number, grid: number, scale: number): Float32Array {
  const a = new Float32Array(cells);
  if (scale === 0) return a;
  for (const acc of accents) {
    const w = scale * acc.strength * (acc.cut ? 1.5 : 1);
    const c0 = Math.max(0, Math.floor((acc.timeSec - ACCENT_WINDOW) / grid)), c1 = Math.min(cells - 1, Math.ceil((acc.timeSec + ACCENT_WINDOW) / grid));
    for (let c = c0; c <= c1; c++) {
      const d = Math.abs(c * grid - acc.timeSec);
      const v = w * Math.max(0, Math.min(1, (ACCENT_WINDOW - d) / (ACCENT_WINDOW - ACCENT_FULL)));
      if (v > a[c]!) a[c] = v;
    }
  }
  return a;
}

/**
 * Dynamic programme over (tempo step, next source beat, output time on a grid). From each
 * state the music either plays on one beat at the segment's tempo, or jumps to a candidate beat
 * (tempo up to one step away) and then plays at least `minSegmentBars` bars, so no stutter loops
 * (only states near the best at their output time jump: JUMP_MARGIN).
 * Every beat that lands on an accent earns a reward (section starts and downbeats most, strong
 * onsets inside the beat too); every seam costs a base price plus its dissimilarity, and every
 * nudged beat a little. It starts with the track's opening and ends with its real ending exactly
 * at the clip's end (the last segment's nudge absorbs the last few ms), or, when no ending fits,
 * with a fade, at a price. Jumps keep the beat grid, so per-segment tempo is what moves beats
 * onto accents; bar restarts move downbeats by whole beats.
 */
export function arrange(t: SearchTrack, jumps: JumpCandidates, o: SearchOptions): Arrangement {
  const n = t.beats.length;
  const beats = t.beats;
  const D = o.durationSec;
  const maxStretch = o.maxStretch ?? 0.06;
  const aim = o.aim ?? 1;
  const jumpMargin = o.jumpMargin ?? JUMP_MARGIN;
  const factors = tempoFactors(maxStretch);
  const P = factors.length;
  const L = Math.max(1, Math.round((o.minSegmentBars ?? 1) * t.beatsPerBar));
  const grid = Math.max(o.gridSec ?? 0.01, (n * P * (D + 1)) / (o.maxStates ?? 3_000_000));
  const cells = Math.ceil(D / grid) + 2;
  const tail = t.durationSec - beats[n - 1]!;
  if (L >= n || D <= beats[L]!) {
    // The clip is no longer than the opening's first segment as recorded: the opening, faded (no nudge needed).
    return { segments: [{ srcStartSec: 0, srcEndSec: D, outStartSec: 0, lengthFactor: 1 }], seams: [], ending: 'fade', durationSec: D, score: -FADE_COST };
  }
  const field = accentField(o.accents, cells, grid, ACCENT_GAIN * aim);
  // A seam on a picture cut is masked by it: up to half its base price back.
  const cutField = accentField(o.accents.filter((x) => x.cut), cells, grid, aim === 0 ? 0 : 1);

  const weight = new Float32Array(n);
  const onsetOffsets: number[][] = Array.from({ length: n }, () => []);
  let oi = 0;
  for (let j = 0; j < n; j++) {
    weight[j] = t.sectionStart[j] ? 1.5 : t.downbeat[j] ? 1 : 0.15;
    const end = j + 1 < n ? beats[j + 1]! : t.durationSec;
    while (oi < t.strongOnsets.length && t.strongOnsets[oi]! < end) {
      const off = t.strongOnsets[oi]! - beats[j]!;
      if (off > 0.03 && off < end - beats[j]! - 0.03) onsetOffsets[j]!.push(off);
      oi++;
    }
  }
  // States are numbered cell-major, ((c·P + p)·n + j): the sweep reads them in order and a
  // jump's target reward lies in the current cell's small layer, which keeps the search in cache.
  // Only the back pointers span every state; scores, exact times and rewards live in rings of a
  // few hundred cells (every move lands less than `ring` cells ahead), so a search touches a
  // third of the memory it would with whole tables (fresh pages cost more than the sweep).
  const layer = P * n;
  const size = cells * layer;
  const scratch = o.scratch ?? new SearchScratch();
  // Rewards per tempo step: beat j landing at cell c, and the forced L-beat segment after a jump
  // to b. They are zero away from the accents (most of the clip), so they are kept as lists per
  // cell, only where a beat or one of its strong onsets reaches an accent, and laid out in a row
  // when the sweep reaches their cell.
  const accentCells: number[] = [];
  for (let c = 0; c < cells; c++) if (field[c] !== 0) accentCells.push(c);
  const beatCells: Int32Array[] = [], beatValues: Float32Array[] = [];
  const stamp = new Int32Array(cells).fill(-1);
  for (let p = 0; p < P; p++) {
    const f = factors[p]!;
    for (let j = 0; j < n; j++) {
      const oc = onsetOffsets[j]!.map((off) => Math.round((off * f) / grid));
      const at = p * n + j;
      const list: number[] = [];
      for (const a of accentCells) {
        for (let i = -1; i < oc.length; i++) {
          const c = a - (i < 0 ? 0 : oc[i]!);
          if (c < 0 || c >= cells || stamp[c] === at) continue;
          stamp[c] = at;
          list.push(c);
        }
      }
      beatCells.push(Int32Array.from(list));
      beatValues.push(Float32Array.from(list, (c) => {
        let r = weight[j]! * field[c]!;
        for (const d of oc) if (c + d < cells) r += ONSET_WEIGHT * field[c + d]!;
        return r;
      }));
    }
  }
  const beatRewards = new CellLists(cells);
  beatRewards.build((add) => {
    for (let at = 0; at < layer; at++) for (let e = 0; e < beatCells[at]!.length; e++) add(beatCells[at]![e]!, at, beatValues[at]![e]!);
  });
  // A segment's reward, term by term in the order a table summing them in float32 would add them.
  const segmentRewards = new CellLists(cells);
  segmentRewards.build((add) => {
    for (let p = 0; p < P; p++) {
      const f = factors[p]!;
      for (let b = 0; b < n; b++) {
        const dst = p * n + b;
        for (let i = 0; i < L && b + i < n; i++) {
          const d = Math.round(((beats[b + i]! - beats[b]!) * f) / grid);
          const cs = beatCells[dst + i]!, vs = beatValues[dst + i]!;
          for (let e = 0; e < cs.length; e++) if (cs[e]! >= d) add(cs[e]! - d, dst, vs[e]!);
        }
      }
    }
  });
  const beatR = new Float32Array(layer), segR = new Float32Array(layer);
  const stretchCost = Float64Array.from(factors, (f) => STRETCH_COST * ((f - 1) / 0.01) ** 2);
  const segStretch = Float64Array.from(stretchCost, (x) => L * x);
  // Per beat and tempo step: output length of the beat (the tail after the last one).
  const stepLen = new Float64Array(layer);
  for (let p = 0; p < P; p++) for (let j = 0; j < n; j++) stepLen[p * n + j] = (j + 1 < n ? beats[j + 1]! - beats[j]! : tail) * factors[p]!;
  // Per jump: its price before the cut discount (infinite when no whole segment fits after its
  // target, so the sweep needs no test) plus its dissimilarity price.
  const Q = jumps.to.length;
  const jumpTo = jumps.to;
  const jumpBase = new Float64Array(Q).fill(Infinity);
  const jumpSim = new Float64Array(Q);
  for (let q = 0; q < Q; q++) {
    if (jumpTo[q]! + L >= n) continue;
    jumpBase[q] = SEAM_BASE + (jumps.phaseShift[q] === 1 ? BAR_CUT_COST : 0);
    jumpSim[q] = SEAM_SIM_WEIGHT * (1 - jumps.similarity[q]!);
  }
  // Per target beat and tempo step: the forced segment's output length.
  const segSpan = new Float64Array(n * P);
  for (let b = 0; b + L < n; b++) for (let p2 = 0; p2 < P; p2++) segSpan[b * P + p2] = (beats[b + L]! - beats[b]!) * factors[p2]!;

  // The ring: every move lands at most `reach` cells ahead (one beat, or a jump's whole
  // segment), and the opening within `reach` of cell 0.
  let longest = beats[L]!;
  for (let j = 0; j + 1 < n; j++) longest = Math.max(longest, beats[j + 1]! - beats[j]!);
  for (let b = 0; b + L < n; b++) longest = Math.max(longest, beats[b + L]! - beats[b]!);
  const reach = Math.ceil((longest * factors[P - 1]!) / grid) + 2;
  let ring = 1;
  while (ring <= reach) ring *= 2;
  const mask = ring - 1;
  const score = scratch.float32(0, ring * layer, -Infinity);
  const exact = scratch.float32(1, ring * layer, null);
  // Read only along the winning chain, where every state was set: no need to fill them.
  const back = scratch.int32(0, size);
  /** −1: played on one beat; −2: the opening; otherwise the jump's index into `jumps.to`. */
  const via = scratch.int32(1, size);
  for (let p = 0; p < P; p++) {
    const f = factors[p]!;
    const u = beats[L]! * f, c = Math.round(u / grid);
    if (c >= cells) continue;
    const s = segmentRewards.sumAt(Math.round((beats[0]! * f) / grid), p * n) - L * stretchCost[p]!;
    const k = (c & mask) * layer + p * n + L;
    if (s > score[k]!) {
      score[k] = s;
      exact[k] = u;
      back[c * layer + p * n + L] = -1;
      via[c * layer + p * n + L] = -2;
    }
  }

  const tol = 1.5 * grid;
  let best = { s: -Infinity, k: -1, ending: 'real' as 'real' | 'fade' };
  const offsets = jumps.offsets;
  // Seams are merged per cell, tempo step and target beat before the segment after them is
  // placed: of all the jumps into beat b within one grid cell only the best goes on (states
  // closer than the grid merge, as everywhere in this search). That places each segment once per
  // target instead of once per jump and tempo step: about 3× less work. Compared with placing
  // every jump, 2 of 120 real-track arrangements came out otherwise (one scored 1 % lower, one
  // higher) and the cuts on downbeats stayed the same.
  // −∞: no jump into the beat yet in this cell and tempo step.
  const seamBest = new Float64Array(n).fill(-Infinity);
  const seamFrom = new Int32Array(n);
  const seamVia = new Int32Array(n);
  const seamU = new Float64Array(n);
  const touched = new Int32Array(n);
  for (let c = 0; c < cells; c++) {
    beatRewards.layOut(c, beatR);
    segmentRewards.layOut(c, segR);
    const cutDiscount = 1 - 0.5 * Math.min(1, cutField[c]!);
    const row = c * layer, ringRow = (c & mask) * layer;
    // Every state of this cell is final (all moves go forward in time): the beam's floor.
    let cellBest = -Infinity;
    for (let i = ringRow; i < ringRow + layer; i++) if (score[i]! > cellBest) cellBest = score[i]!;
    const jumpFloor = cellBest - jumpMargin;
    for (let p = 0; p < P; p++) {
      const f = factors[p]!;
      let nTouched = 0;
      for (let j = 0; j < n; j++) {
        const r = ringRow + p * n + j;
        const s = score[r]!;
        if (s === -Infinity) continue;
        const k = row + p * n + j;
        const u = exact[r]!;
        const here = beatR[p * n + j]!;
        const len = stepLen[p * n + j]!;
        // The real ending: this is the last beat, and the tail ends within a few ms of the clip's end.
        if (j === n - 1 && Math.abs(u + tail * f - D) <= tol) {
          const total = s + here;
          if (total > best.s) best = { s: total, k, ending: 'real' };
        }
        // A fade: the clip ends inside this beat.
        if (u <= D && D < u + len) {
          const total = s + here - FADE_COST;
          if (total > best.s) best = { s: total, k, ending: 'fade' };
        }
        if (j + 1 < n) {
          const u2 = u + len, c2 = Math.round(u2 / grid);
          if (c2 < cells) {
            const r2 = (c2 & mask) * layer + p * n + j + 1, g = s + here - stretchCost[p]!;
            if (g > score[r2]!) {
              score[r2] = g;
              exact[r2] = u2;
              const k2 = c2 * layer + p * n + j + 1;
              back[k2] = k;
              via[k2] = -1;
            }
          }
        }
        if (s < jumpFloor) continue;
        for (let q = offsets[j]!, qEnd = offsets[j + 1]!; q < qEnd; q++) {
          const v = s - (jumpBase[q]! * cutDiscount + jumpSim[q]!);
          const b = jumpTo[q]!;
          if (v > seamBest[b]!) {
            if (seamBest[b] === -Infinity) touched[nTouched++] = b;
            seamBest[b] = v;
            seamFrom[b] = k;
            seamVia[b] = q;
            seamU[b] = u;
          }
        }
      }
      const lo = Math.max(0, p - 1), hi = Math.min(P - 1, p + 1);
      for (let t = 0; t < nTouched; t++) {
        const b = touched[t]!;
        const v = seamBest[b]!, u = seamU[b]!, from = seamFrom[b]!, q = seamVia[b]!;
        seamBest[b] = -Infinity;
        for (let p2 = lo; p2 <= hi; p2++) {
          const g = v - (p2 === p ? 0 : TEMPO_CHANGE_COST) + segR[p2 * n + b]! - segStretch[p2]!;
          const u2 = u + segSpan[b * P + p2]!, c2 = Math.round(u2 / grid);
          if (c2 >= cells) continue;
          const r2 = (c2 & mask) * layer + p2 * n + b + L;
          if (g > score[r2]!) {
            score[r2] = g;
            exact[r2] = u2;
            const k2 = c2 * layer + p2 * n + b + L;
            back[k2] = from;
            via[k2] = q;
          }
        }
      }
    }
    // The row is done: free it for cell c + ring.
    score.fill(-Infinity, ringRow, ringRow + layer);
    beatRewards.clear(c, beatR);
    segmentRewards.clear(c, segR);
  }
  if (best.k < 0) throw new Error('No arrangement of the track fits the clip (internal: a fade should always fit).');

  // Walk back to the opening, collecting each segment's tempo step and the jumps between segments.
  const chain: number[] = [];
  for (let k = best.k; k >= 0; k = back[k]!) chain.push(k);
  chain.reverse();
  const stepOf = (k: number) => Math.floor((k % layer) / n);
  const beatOf = (k: number) => k % n;
  const segments: Segment[] = [];
  const seams: Seam[] = [];
  let segStart = { src: 0, p: stepOf(chain[0]!) };
  for (let i = 1; i < chain.length; i++) {
    const k = chain[i]!;
    const q = via[k]!;
    if (q < 0) continue;
    const from = chain[i - 1]!;
    const a = beatOf(from), b = jumps.to[q]!;
    // Output times follow from the segments (below), exactly rather than on the grid.
    segments.push({ srcStartSec: segStart.src, srcEndSec: beats[a]!, outStartSec: 0, lengthFactor: factors[segStart.p]! });
    seams.push({ outSec: 0, fromSrcSec: beats[a]!, toSrcSec: beats[b]!, fromBeat: a, toBeat: b, similarity: jumps.similarity[q]!, predictedFlux: jumps.flux[q]! });
    segStart = { src: beats[b]!, p: stepOf(k) };
  }
  // Make the segments meet exactly: each starts where the previous one's source, nudged, ends.
  for (let i = 1; i < segments.length; i++) {
    const p = segments[i - 1]!;
    segments[i]!.outStartSec = p.outStartSec + (p.srcEndSec - p.srcStartSec) * p.lengthFactor;
    seams[i - 1]!.outSec = segments[i]!.outStartSec;
  }
  const lastOut = segments.length ? segments[segments.length - 1]!.outStartSec + (segments[segments.length - 1]!.srcEndSec - segments[segments.length - 1]!.srcStartSec) * segments[segments.length - 1]!.lengthFactor : 0;
  if (seams.length) seams[seams.length - 1]!.outSec = lastOut;
  const f = factors[segStart.p]!;
  if (best.ending === 'real') {
    // The last segment's nudge absorbs the grid's few ms, so the real ending lands exactly on the clip's end.
    const len = t.durationSec - segStart.src;
    segments.push({ srcStartSec: segStart.src, srcEndSec: t.durationSec, outStartSec: lastOut, lengthFactor: (D - lastOut) / len });
  } else {
    segments.push({ srcStartSec: segStart.src, srcEndSec: segStart.src + (D - lastOut) / f, outStartSec: lastOut, lengthFactor: f });
  }
  return { segments, seams, ending: best.ending, durationSec: D, score: best.s };
}
