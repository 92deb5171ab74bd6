import { CHROMA_BINS, rowCosine, TIMBRE_BANDS } from './beat-features.ts';
import type { TrackAnalysis } from './track-analysis.ts';

/** Jumps the arrangement may take: from "about to play beat a" to "play beat b instead" (CSR lists). */
export interface JumpCandidates {
  /** Candidates of beat a are indices offsets[a] .. offsets[a+1]−1 of `to`/`similarity`/`flux`. */
  offsets: Int32Array;
  to: Int32Array;
  /** 0..1: how alike the two beats and their neighbours sound (chroma and timbre). */
  similarity: Float32Array;
  /** Predicted spectral flux at the seam (what the caller's `seamFlux` gave). */
  flux: Float32Array;
  /** 1 where the jump restarts the bar mid-way (b is a downbeat, a is not): the bar changes length. */
  phaseShift: Uint8Array;
}

export interface CandidateOptions {
  /** Kept per beat, most similar first. */
  perBeat?: number;
  /** Candidates below this similarity are dropped. */
  minSimilarity?: number;
  /** Predicted seam flux must stay under this share of the track's 95th percentile at beats. */
  fluxShare?: number;
  /** Transitions never to offer (e.g. measured too abrupt after rendering), as "a:b". */
  banned?: ReadonlySet<string>;
  /** Beats never to jump into (their attack measured too abrupt after a seam). */
  bannedTargets?: ReadonlySet<number>;
}

/** Similarity of beats a and b with their context (two beats before, one after), 0..1. */
export function beatSimilarity(t: TrackAnalysis, a: number, b: number): number {
  const f = t.features;
  let s = 0, w = 0;
  for (const k of [-2, -1, 0, 1]) {
    const i = a + k, j = b + k;
    if (i < 0 || j < 0 || i >= f.beats || j >= f.beats) continue;
    const c = rowCosine(f.chroma, CHROMA_BINS, i, j);
    const tb = rowCosine(f.timbre, TIMBRE_BANDS, i, j);
    // A level jump is heard even when the spectrum matches: −1 per 20 dB of mean mel level.
    const level = Math.min(1, Math.abs(f.loudnessDb[i]! - f.loudnessDb[j]!) / 20);
    // The beats right at the seam matter most.
    const wk = k === -1 || k === 0 ? 2 : 1;
    s += wk * (0.6 * c + 0.4 * (0.5 + 0.5 * tb) - level);
    w += wk;
  }
  return w ? Math.max(0, Math.min(1, s / w)) : 0;
}

/**
 * For every beat, the beats it may jump to: the same position in the bar (so the meter
 * survives), at least a bar away, alike enough, and predicted not to flux above the track's own
 * beats. Each beat is compared with every other at its bar position: O(beats² / meter).
 * `seamFlux(a, b)` predicts the flux of the seam a → b (SeamFlux.candidate in the remix); it is
 * asked only for the most similar jumps, until each beat's room is full.
 */
export function jumpCandidates(t: TrackAnalysis, seamFlux: (a: number, b: number) => number, o: CandidateOptions = {}): JumpCandidates {
  const n = t.beats.length;
  const k = o.perBeat ?? 10;
  const minSim = o.minSimilarity ?? 0.6;
  const fluxMax = (o.fluxShare ?? 0.85) * t.beatFluxP95;
  const m = t.beatsPerBar;
  const offsets = new Int32Array(n + 1);
  const to: number[] = [], sim: number[] = [], flux: number[] = [], shift: number[] = [];
  for (let a = 0; a < n; a++) {
    offsets[a] = to.length;
    const list: { b: number; s: number; shift: number }[] = [];
    if (a >= 1) {
      for (let b = 1; b < n; b++) {
        // Same place in the bar, or a bar restarted early/late on a downbeat (aimed at a cut).
        if (Math.abs(b - a) < m || (t.beatInBar[b] !== t.beatInBar[a] && t.beatInBar[b] !== 0)) continue;
        if (o.banned?.has(`${a}:${b}`) || o.bannedTargets?.has(b)) continue;
        const s = beatSimilarity(t, a, b);
        if (s < minSim) continue;
        list.push({ b, s, shift: t.beatInBar[b] !== t.beatInBar[a] ? 1 : 0 });
      }
    }
    list.sort((x, y) => y.s - x.s);
    // The most similar that pass the flux check, with room for both kinds (bar restarts would
    // otherwise crowd out the meter-keeping jumps). The flux is asked for only until both are full.
    const room = [k, Math.ceil(k / 2)];
    for (const c of list) {
      if (room[c.shift] === 0) {
        if (room[0] === 0 && room[1] === 0) break;
        continue;
      }
      const f = seamFlux(a, c.b);
      if (f > fluxMax) continue;
      room[c.shift]!--;
      to.push(c.b);
      sim.push(c.s);
      flux.push(f);
      shift.push(c.shift);
    }
  }
  offsets[n] = to.length;
  return { offsets, to: Int32Array.from(to), similarity: Float32Array.from(sim), flux: Float32Array.from(flux), phaseShift: Uint8Array.from(shift) };
}
