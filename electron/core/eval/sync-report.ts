import { beatScores, secondBins, type BeatScores } from './beat-scores.ts';
import { validateEvents } from './events.ts';
import { onsetFMeasure, type OnsetScores } from './onset-metrics.ts';
import { nearestTimeIndex } from '../../shared/sorted-search.ts';

export interface Accent {
  time: number;
  strength: number;
}

export interface AccentResult extends Accent {
  /** Nearest detected onset (s), or null when there are no onsets. */
  nearestOnset: number | null;
  /** nearestOnset − time (s). */
  offset: number | null;
  hit: boolean;
}

export interface OffsetStats {
  count: number;
  mean: number;
  median: number;
  meanAbs: number;
  std: number;
  min: number;
  max: number;
  /** Counts of nearest-onset offsets in 10 ms bins from −100 to +100 ms (outliers not counted). */
  histogram: { fromMs: number; toMs: number; count: number }[];
}

export interface SyncReport {
  windowSec: number;
  durationSec: number;
  accents: AccentResult[];
  hits: number;
  hitRate: number;
  weightedHitRate: number;
  /** Per-second BCS/BHS (D2M-GAN variant) with the accents as reference; null if no accent lies in the audio. */
  beatScores: BeatScores | null;
  /** mir_eval onset F-measure of the detected onsets against the accents (same window). */
  onsetF: OnsetScores;
  /** Offsets of the hits. */
  offsets: OffsetStats | null;
  tempo: number;
  onsetCount: number;
}

function nearest(sorted: Float64Array, t: number): number {
  return sorted[nearestTimeIndex(sorted, t)]!;
}

function stats(offsets: number[]): OffsetStats | null {
  if (!offsets.length) return null;
  const n = offsets.length;
  const sorted = [...offsets].sort((a, b) => a - b);
  const mean = offsets.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(offsets.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const median = n % 2 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    count: n,
    mean,
    median,
    meanAbs: offsets.reduce((a, b) => a + Math.abs(b), 0) / n,
    std,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    histogram: [],
  };
}

/**
 * Does the audio land on the accents? For each accent, the nearest detected onset and whether it
 * lies within ±window; hit rates (plain and strength-weighted), BCS/BHS per second, the offset
 * distribution and the tempo.
 */
export function syncReport(
  accentsIn: readonly Accent[],
  onsetTimes: ArrayLike<number>,
  o: { durationSec: number; tempo: number; windowSec?: number },
): SyncReport {
  const w = o.windowSec ?? 0.05;
  if (!(w > 0)) throw new RangeError(`The hit window must be positive, got ${w}.`);
  accentsIn.forEach((a, i) => {
    if (!Number.isFinite(a.time) || a.time < 0) throw new RangeError(`Accent ${i} has an invalid time ${a.time}; times are seconds ≥ 0.`);
    if (!Number.isFinite(a.strength) || a.strength < 0) throw new RangeError(`Accent ${i} has an invalid strength ${a.strength}; strengths are numbers ≥ 0.`);
  });
  const accents = [...accentsIn].sort((a, b) => a.time - b.time);
  const onsets = Float64Array.from(onsetTimes).sort();
  validateEvents(onsets, 'onsets');
  const results: AccentResult[] = accents.map((a) => {
    if (!onsets.length) return { ...a, nearestOnset: null, offset: null, hit: false };
    const n = nearest(onsets, a.time);
    const offset = n - a.time;
    return { ...a, nearestOnset: n, offset, hit: Math.abs(offset) <= w };
  });
  const hits = results.filter((r) => r.hit).length;
  const strengthSum = accents.reduce((s, a) => s + a.strength, 0);
  const weightedHit = results.reduce((s, r) => s + (r.hit ? r.strength : 0), 0);
  const gt = secondBins(accents.map((a) => a.time), o.durationSec);
  const syn = secondBins(onsets, o.durationSec);
  const anyGt = gt.some((v) => v === 1);
  const offsets = stats(results.filter((r) => r.hit).map((r) => r.offset!));
  if (offsets) {
    // Binned in whole microseconds so that e.g. 1.9 − 2.0 counts as −100 ms.
    const nearMs = results.map((r) => r.offset).filter((v): v is number => v !== null).map((v) => Math.round(v * 1e6) / 1e3);
    for (let b = -10; b < 10; b++) {
      const count = nearMs.filter((ms) => ms >= b * 10 && ms < (b + 1) * 10).length;
      offsets.histogram.push({ fromMs: b * 10, toMs: (b + 1) * 10, count });
    }
  }
  return {
    windowSec: w,
    durationSec: o.durationSec,
    accents: results,
    hits,
    hitRate: accents.length ? hits / accents.length : 0,
    weightedHitRate: strengthSum > 0 ? weightedHit / strengthSum : 0,
    beatScores: anyGt ? beatScores(gt, syn) : null,
    onsetF: onsetFMeasure(accents.map((a) => a.time), onsets, w),
    offsets,
    tempo: o.tempo,
    onsetCount: onsets.length,
  };
}
