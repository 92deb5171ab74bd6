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
  /** Final tempo factor: output time = ratio × natural time. */
  ratio: number;
  /**
   * Which real endings are accepted: `wide` takes any natural length the ±maxStretch nudge can fit
   * (the first pass, to find the ratio), `tight` only those within a grid step of duration / ratio.
   */
  fit: 'wide' | 'tight';
  maxStretch?: number;
  /** Shortest stretch of the source between two seams, in bars. */
  minSegmentBars?: number;
  /** Scale of the accent rewards (0: an unaimed remix that only keeps the music continuous). */
  aim?: number;
  /** Grid step of the natural-time axis (s); states closer than this merge. */
  gridSec?: number;
  /** Bound on beats × grid cells (memory and time); the grid coarsens to stay under it. */
  maxCells?: number;
}

export interface Seam {
  /** Output time of the seam (s, after the tempo nudge). */
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
  /** Natural (un-stretched) output time where the segment starts. */
  outStartSec: number;
}

export interface Arrangement {
  ratio: number;
  segments: Segment[];
  seams: Seam[];
  ending: 'real' | 'fade';
  /** Natural length of the arrangement (s); × ratio = the clip's duration. */
  naturalSec: number;
  score: number;
}

/** Full reward within ±30 ms of an accent, none past ±60 ms (the sync check counts ±50 ms). */
const ACCENT_FULL = 0.03;
const ACCENT_WINDOW = 0.06;
/** A hit accent is worth about two ordinary seams, so the search pays for a seam to land one. */
const ACCENT_GAIN = 2;
const SEAM_BASE = 0.35;
const SEAM_SIM_WEIGHT = 2;
/** The real ending is kept unless none fits: a fade costs as much as several missed accents. */
const FADE_COST = 10;
const ONSET_WEIGHT = 0.5;
/** Extra price of a jump that restarts the bar mid-way (a shortened or lengthened bar). */
const BAR_CUT_COST = 0.6;
/** Price of the tempo nudge, per (percent)². */
const STRETCH_COST = 0.1;

/** Accent reward at each natural-time grid cell: the strongest accent near it (see ACCENT_FULL). */
function accentField(accents: readonly AimAccent[], cells: number, grid: number, ratio: number, aim: number): Float32Array {
  const a = new Float32Array(cells);
  if (aim === 0) return a;
  for (const acc of accents) {
    const w = ACCENT_GAIN * aim * acc.strength * (acc.cut ? 1.5 : 1);
    const u = acc.timeSec / ratio;
    const c0 = Math.max(0, Math.floor((u - ACCENT_WINDOW) / grid)), c1 = Math.min(cells - 1, Math.ceil((u + ACCENT_WINDOW) / grid));
    for (let c = c0; c <= c1; c++) {
      const d = Math.abs(c * grid - u) * ratio;
      const v = w * Math.max(0, Math.min(1, (ACCENT_WINDOW - d) / (ACCENT_WINDOW - ACCENT_FULL)));
      if (v > a[c]!) a[c] = v;
    }
  }
  return a;
}

/**
 * Dynamic programme over (next source beat, natural output time on a grid). From each state
 * the music either plays on one beat, or jumps to a candidate beat and then plays at least
 * `minSegmentBars` bars (so no stutter loops). Every beat that lands on an accent earns a
 * reward (downbeats and section starts most, strong onsets in between too); every seam costs
 * a base price plus its dissimilarity. It starts with the track's opening and ends with its real
 * ending (or, when no ending fits, a fade at the clip's end, at a price).
 */
export function searchArrangement(t: SearchTrack, jumps: JumpCandidates, o: SearchOptions): Arrangement | null {
  const n = t.beats.length;
  const beats = t.beats;
  const maxStretch = o.maxStretch ?? 0.06;
  const aim = o.aim ?? 1;
  const L = Math.max(1, Math.round((o.minSegmentBars ?? 2) * t.beatsPerBar));
  const target = o.durationSec / o.ratio;
  const horizon = o.fit === 'wide' ? o.durationSec / (1 - maxStretch) : target;
  const maxCells = o.maxCells ?? 6_000_000;
  const grid = Math.max(o.gridSec ?? 0.01, (n * (horizon + 1)) / maxCells);
  const cells = Math.ceil((horizon + 1) / grid) + 1;
  const field = accentField(o.accents, cells, grid, o.ratio, aim);
  const tail = t.durationSec - beats[n - 1]!;

  // Reward of beat j landing at cell c: the beat itself, plus the strong onsets inside its interval.
  const weight = new Float32Array(n);
  const onsetCells: number[][] = Array.from({ length: n }, () => []);
  let oi = 0;
  for (let j = 0; j < n; j++) {
    weight[j] = t.sectionStart[j] ? 1.5 : t.downbeat[j] ? 1 : 0.3;
    const end = j + 1 < n ? beats[j + 1]! : t.durationSec;
    while (oi < t.strongOnsets.length && t.strongOnsets[oi]! < end) {
      const off = t.strongOnsets[oi]! - beats[j]!;
      if (off > 0.03 && off < end - beats[j]! - 0.03) onsetCells[j]!.push(Math.round(off / grid));
      oi++;
    }
  }
  // Reward tables: beat j landing at cell c, and the forced L-beat segment after a jump to b at c.
  const size = n * cells;
  const beatR = new Float32Array(size);
  for (let j = 0; j < n; j++) {
    const oc = onsetCells[j]!;
    for (let c = 0; c < cells; c++) {
      let r = weight[j]! * field[c]!;
      for (const d of oc) if (c + d < cells) r += ONSET_WEIGHT * field[c + d]!;
      beatR[j * cells + c] = r;
    }
  }
  const segR = new Float32Array(size);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < L && b + i < n; i++) {
      const d = Math.round((beats[b + i]! - beats[b]!) / grid);
      const row = (b + i) * cells;
      for (let c = 0; c + d < cells; c++) segR[b * cells + c] += beatR[row + c + d]!;
    }
  }
  const beatReward = (j: number, c: number): number => (c < cells ? beatR[j * cells + c]! : 0);
  const segReward = (b: number, c: number): number => (c < cells ? segR[b * cells + c]! : 0);
  // A seam on a picture cut is masked by it: half its price back, scaled by the cut's strength.
  const cutField = accentField(o.accents.filter((x) => x.cut), cells, grid, o.ratio, aim === 0 ? 0 : 1);

  const score = new Float64Array(size).fill(-Infinity);
  const exact = new Float64Array(size);
  const back = new Int32Array(size).fill(-1);
  /** −1: played on one beat; otherwise the jump's index into `jumps.to`. */
  const via = new Int32Array(size).fill(-1);
  const relax = (j: number, u: number, s: number, from: number, how: number) => {
    const c = Math.round(u / grid);
    if (c >= cells || j >= n) return;
    const k = j * cells + c;
    if (s > score[k]!) {
      score[k] = s;
      exact[k] = u;
      back[k] = from;
      via[k] = how;
    }
  };
  if (L >= n) return null;
  if (target <= beats[L]!) {
    // The clip is shorter than the opening's first segment: the opening, faded.
    return { ratio: o.ratio, segments: [{ srcStartSec: 0, srcEndSec: target, outStartSec: 0 }], seams: [], ending: 'fade', naturalSec: target, score: -FADE_COST };
  }
  relax(L, beats[L]!, segReward(0, Math.round(beats[0]! / grid)), -1, -2);

  let best = { s: -Infinity, k: -1, ending: 'real' as 'real' | 'fade', natural: 0 };
  // Within 1.5 cells the final ratio is the aimed one to 0.05 % or so: accents stay where they were scored.
  const tightTol = 1.5 * grid;
  for (let c = 0; c < cells; c++) {
    for (let j = 0; j < n; j++) {
      const k = j * cells + c;
      const s = score[k]!;
      if (s === -Infinity) continue;
      const u = exact[k]!;
      // The real ending: play beat j (the last one) and the tail.
      if (j === n - 1) {
        const natural = u + tail;
        const ok = o.fit === 'wide' ? Math.abs(o.durationSec / natural - 1) <= maxStretch : Math.abs(natural - target) <= tightTol;
        if (ok) {
          const r = o.durationSec / natural;
          const total = s + beatReward(j, c) - STRETCH_COST * ((r - 1) / 0.01) ** 2;
          if (total > best.s) best = { s: total, k, ending: 'real', natural };
        }
      }
      const next = j + 1 < n ? beats[j + 1]! - beats[j]! : tail;
      // A fade: the clip ends inside this beat.
      if (u <= target && target < u + next) {
        const total = s + beatReward(j, c) - FADE_COST;
        if (total > best.s) best = { s: total, k, ending: 'fade', natural: target };
      }
      if (j + 1 < n) relax(j + 1, u + next, s + beatReward(j, c), k, -1);
      for (let q = jumps.offsets[j]!; q < jumps.offsets[j + 1]!; q++) {
        const b = jumps.to[q]!;
        if (b + L >= n) continue;
        const shift = jumps.phaseShift[q] === 1;
        const seam = (SEAM_BASE + (shift ? BAR_CUT_COST : 0)) * (1 - 0.5 * Math.min(1, cutField[c]!)) + SEAM_SIM_WEIGHT * (1 - jumps.similarity[q]!);
        relax(b + L, u + beats[b + L]! - beats[b]!, s - seam + segReward(b, c), k, q);
      }
    }
  }
  if (best.k < 0) return null;

  // Walk back: collect the jumps (state, jump index) from the end.
  const steps: { k: number; q: number; from: number }[] = [];
  for (let k = best.k; k >= 0 && via[k] !== -2; k = back[k]!) {
    if (via[k]! >= 0) steps.push({ k, q: via[k]!, from: back[k]! });
  }
  steps.reverse();
  const ratio = best.ending === 'real' ? o.durationSec / best.natural : o.ratio;
  const segments: Segment[] = [];
  const seams: Seam[] = [];
  let srcStart = 0, outStart = 0;
  for (const st of steps) {
    const a = Math.floor(st.from / cells), b = jumps.to[st.q]!;
    const uSeam = exact[st.from]!;
    segments.push({ srcStartSec: srcStart, srcEndSec: beats[a]!, outStartSec: outStart });
    seams.push({
      outSec: uSeam * ratio, fromSrcSec: beats[a]!, toSrcSec: beats[b]!, fromBeat: a, toBeat: b,
      similarity: jumps.similarity[st.q]!, predictedFlux: jumps.flux[st.q]!,
    });
    srcStart = beats[b]!;
    outStart = uSeam;
  }
  const endSrc = best.ending === 'real' ? t.durationSec : srcStart + (best.natural - outStart);
  segments.push({ srcStartSec: srcStart, srcEndSec: endSrc, outStartSec: outStart });
  return { ratio, segments, seams, ending: best.ending, naturalSec: best.natural, score: best.s };
}

/**
 * Jumps keep the beat grid, so the tempo nudge is what moves beats onto accents. A wide pass at
 * the natural tempo finds the nudge that fits the length best; tight passes on a coarse grid
 * then try nudges in 1 % steps, and fine ones refine the best by ±0.25 % (and retry the runner-up), each aiming
 * the accents where they will really land; the best score wins.
 */
export function arrange(t: SearchTrack, jumps: JumpCandidates, o: Omit<SearchOptions, 'ratio' | 'fit'>): Arrangement {
  const maxStretch = o.maxStretch ?? 0.06;
  const fine = o.gridSec ?? 0.01;
  const wide = searchArrangement(t, jumps, { ...o, ratio: 1, fit: 'wide' });
  if (!wide) throw new Error('No arrangement of the track fits the clip (internal: the fade ending should always fit).');
  const ok = (r: number) => Math.abs(r - 1) <= maxStretch + 1e-9;
  const coarse: Arrangement[] = [];
  const starts = new Set<number>([Math.round(wide.ratio * 1e4)]);
  for (let k = -Math.floor(maxStretch / 0.01 + 1e-9); k * 0.01 <= maxStretch + 1e-9; k++) starts.add(Math.round((1 + k * 0.01) * 1e4));
  for (const key of starts) {
    const r = key / 1e4;
    if (!ok(r)) continue;
    const a = searchArrangement(t, jumps, { ...o, ratio: r, fit: 'tight', gridSec: 4 * fine });
    if (a) coarse.push(a);
  }
  coarse.sort((x, y) => y.score - x.score);
  // The wide pass scored its accents at the natural tempo, not at its own nudge: it only competes unnudged.
  let best: Arrangement | null = Math.abs(wide.ratio - 1) < 1e-3 ? wide : null;
  const tried = new Set<number>();
  for (const [i, c] of coarse.slice(0, 2).entries()) {
    for (const d of i === 0 ? [0, -0.0025, 0.0025] : [0]) {
      const r = c.ratio + d, key = Math.round(r * 1e5);
      if (!ok(r) || tried.has(key)) continue;
      tried.add(key);
      const a = searchArrangement(t, jumps, { ...o, ratio: r, fit: 'tight', gridSec: fine });
      if (a && (!best || a.score > best.score + 1e-9)) best = a;
    }
  }
  return best ?? coarse[0] ?? wide;
}
