import { CHROMA_BINS, rowCosine, TIMBRE_BANDS, type BeatFeatures } from './beat-features.ts';

export interface MeterEstimate {
  /** Beats per bar. */
  beatsPerBar: number;
  /** Index of the first beat that starts a bar (0 ≤ phase < beatsPerBar). */
  phase: number;
  /** How much more the chosen downbeats stand out than the other beats (z units; > 0.3 is clear). */
  contrast: number;
  /** Per-beat downbeat evidence (z-scored sum of cues). */
  evidence: Float32Array;
}

function zScore(x: Float32Array): Float32Array {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= Math.max(1, n);
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  const sd = Math.sqrt(s / Math.max(1, n - 1)) || 1;
  return x.map((v) => (v - m) / sd);
}

/**
 * Meter and downbeat phase from beat-level cues: harmony tends to change on the downbeat (chroma
 * novelty against the previous beat), the bass enters there (low-band flux), and it is often the
 * loudest onset. For each meter (2, 3, 4 beats) and phase, the score is how far the mean evidence
 * of the would-be downbeats stands above the others; a 4 that only doubles a clear 2 must beat it
 * by a margin, since every 2-beat bar grid also scores on the 4-beat one.
 */
export function estimateMeter(f: BeatFeatures, meters: readonly number[] = [2, 3, 4]): MeterEstimate {
  const n = f.beats;
  const novelty = new Float32Array(n);
  for (let i = 1; i < n; i++) {
    // Harmony change over the two beats either side is steadier than beat to beat.
    const before = i >= 2 ? 0.5 * (rowCosine(f.chroma, CHROMA_BINS, i - 1, i) + rowCosine(f.chroma, CHROMA_BINS, i - 2, i + 1 < n ? i + 1 : i)) : rowCosine(f.chroma, CHROMA_BINS, i - 1, i);
    novelty[i] = 1 - before;
  }
  const zN = zScore(novelty), zL = zScore(f.lowFlux), zF = zScore(f.flux);
  const evidence = new Float32Array(n);
  for (let i = 0; i < n; i++) evidence[i] = zN[i]! + 0.8 * zL[i]! + 0.5 * zF[i]!;
  let best: MeterEstimate = { beatsPerBar: meters[0]!, phase: 0, contrast: -Infinity, evidence };
  const scores = new Map<number, { phase: number; contrast: number }>();
  for (const m of meters) {
    if (n < 2 * m) continue;
    let top = { phase: 0, contrast: -Infinity };
    for (let p = 0; p < m; p++) {
      let on = 0, onN = 0, off = 0, offN = 0;
      for (let i = 0; i < n; i++) {
        if ((i - p) % m === 0) {
          on += evidence[i]!;
          onN++;
        } else {
          off += evidence[i]!;
          offN++;
        }
      }
      const c = on / Math.max(1, onN) - off / Math.max(1, offN);
      if (c > top.contrast) top = { phase: p, contrast: c };
    }
    scores.set(m, top);
  }
  for (const [m, s] of scores) {
    // Prefer the shorter bar unless the longer one is clearly better: a 4/4 downbeat also scores on a 2 grid.
    const penalty = m === 4 && scores.has(2) ? 0.15 : 0;
    if (s.contrast - penalty > best.contrast) best = { beatsPerBar: m, phase: s.phase, contrast: s.contrast - penalty, evidence };
  }
  if (!Number.isFinite(best.contrast)) best = { ...best, contrast: 0 };
  return best;
}

/**
 * Section starts (bar indices) from a Foote novelty curve over bar-level chroma + timbre: a
 * checkerboard kernel of `halfBars` bars each side, peaks above mean + 1 sd, at least
 * `halfBars` bars apart. Bar 0 is always a start.
 */
export function sectionStarts(f: BeatFeatures, barStartBeats: Int32Array, halfBars = 4): Int32Array {
  const bars = barStartBeats.length;
  const dim = CHROMA_BINS + TIMBRE_BANDS;
  const v = new Float32Array(bars * dim);
  for (let b = 0; b < bars; b++) {
    const s = barStartBeats[b]!, e = b + 1 < bars ? barStartBeats[b + 1]! : Math.min(f.beats, s + (s - (b > 0 ? barStartBeats[b - 1]! : 0) || 1));
    for (let i = s; i < Math.max(s + 1, e) && i < f.beats; i++) {
      for (let k = 0; k < CHROMA_BINS; k++) v[b * dim + k] += f.chroma[i * CHROMA_BINS + k]!;
      // Timbre in dB is on another scale: a tenth keeps both cues in play.
      for (let k = 0; k < TIMBRE_BANDS; k++) v[b * dim + CHROMA_BINS + k] += 0.1 * f.timbre[i * TIMBRE_BANDS + k]!;
    }
  }
  const nov = new Float32Array(bars);
  for (let c = halfBars; c + halfBars <= bars; c++) {
    let s = 0;
    for (let i = c - halfBars; i < c + halfBars; i++) {
      for (let j = c - halfBars; j < c + halfBars; j++) {
        const same = (i < c) === (j < c);
        s += (same ? 1 : -1) * rowCosine(v, dim, i, j);
      }
    }
    nov[c] = s / (4 * halfBars * halfBars);
  }
  let m = 0, ss = 0;
  for (const x of nov) m += x;
  m /= Math.max(1, bars);
  for (const x of nov) ss += (x - m) ** 2;
  const thr = m + Math.sqrt(ss / Math.max(1, bars));
  const out = [0];
  for (let c = 1; c + 1 < bars; c++) {
    if (nov[c]! > thr && nov[c]! >= nov[c - 1]! && nov[c]! >= nov[c + 1]! && c - out[out.length - 1]! >= halfBars) out.push(c);
  }
  return Int32Array.from(out);
}
