import type { Arrangement } from './arrangement-search.ts';

/** Where source events (downbeats, onsets) land in the output, seconds, ascending, within [0, durationSec). */
export function eventsInOutput(a: Arrangement, sourceTimes: ArrayLike<number>, durationSec: number): Float64Array {
  const out: number[] = [];
  for (const s of a.segments) {
    for (let i = 0; i < sourceTimes.length; i++) {
      const x = sourceTimes[i]!;
      if (x < s.srcStartSec || x >= s.srcEndSec) continue;
      const t = s.outStartSec + (x - s.srcStartSec) * s.lengthFactor;
      if (t >= 0 && t < durationSec) out.push(t);
    }
  }
  return Float64Array.from(out).sort();
}

function nearestDistance(sorted: Float64Array, t: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  let d = Infinity;
  if (lo < sorted.length) d = sorted[lo]! - t;
  if (lo > 0) d = Math.min(d, t - sorted[lo - 1]!);
  return d;
}

export interface LandingRates {
  /** How many times were checked. */
  count: number;
  /** Share with an output downbeat within the window. */
  onDownbeat: number;
  /** Share with an output downbeat or strong onset within the window. */
  onDownbeatOrStrongOnset: number;
}

/** The share of `times` (cuts) with a downbeat, or a downbeat or strong onset, within ±windowSec. */
export function landingRates(times: readonly number[], downbeats: Float64Array, strongOnsets: Float64Array, windowSec = 0.05): LandingRates {
  if (!times.length) return { count: 0, onDownbeat: 0, onDownbeatOrStrongOnset: 0 };
  let db = 0, either = 0;
  for (const t of times) {
    const onDb = nearestDistance(downbeats, t) <= windowSec;
    if (onDb) db++;
    if (onDb || nearestDistance(strongOnsets, t) <= windowSec) either++;
  }
  return { count: times.length, onDownbeat: db / times.length, onDownbeatOrStrongOnset: either / times.length };
}
