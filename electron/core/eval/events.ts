/** mir_eval.util.validate_events: finite-sized, ≤ maxTime, non-decreasing. */
export function validateEvents(events: ArrayLike<number>, what: string, maxTime = 30000): void {
  for (let i = 0; i < events.length; i++) {
    const t = events[i]!;
    if (Number.isNaN(t)) throw new RangeError(`${what}: event ${i} is not a number.`);
    if (t > maxTime) {
      throw new RangeError(`${what}: an event at ${t} s exceeds the maximum of ${maxTime} s (are the times in seconds?).`);
    }
    if (i > 0 && t < events[i - 1]!) throw new RangeError(`${what}: events must be in increasing order (event ${i} at ${t} s comes after ${events[i - 1]} s).`);
  }
}

/**
 * Size of the maximum matching of mir_eval.util.match_events: each estimate may match one
 * reference with |ref − est| ≤ window (both ends inclusive, e ± w in float64). For sorted
 * inputs a greedy two-pointer pass gives the same count as Hopcroft–Karp (SIGNALS §3.3).
 */
export function matchCount(ref: ArrayLike<number>, est: ArrayLike<number>, window: number): number {
  let i = 0;
  let m = 0;
  for (let j = 0; j < est.length; j++) {
    const e = est[j]!;
    while (i < ref.length && ref[i]! < e - window) i++;
    if (i < ref.length && ref[i]! <= e + window) {
      m++;
      i++;
    }
  }
  return m;
}

/** The matched (ref, est) index pairs of the greedy matching, in time order. */
export function matchPairs(ref: ArrayLike<number>, est: ArrayLike<number>, window: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let i = 0;
  for (let j = 0; j < est.length; j++) {
    const e = est[j]!;
    while (i < ref.length && ref[i]! < e - window) i++;
    if (i < ref.length && ref[i]! <= e + window) pairs.push([i++, j]);
  }
  return pairs;
}

/** mir_eval.util.f_measure with beta = 1. */
export function fMeasure(precision: number, recall: number): number {
  if (precision === 0 && recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}
