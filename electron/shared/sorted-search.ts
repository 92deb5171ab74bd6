// Binary searches over ascending times, shared by the engine (sync check, mood) and the
// timeline renderer, so every place that finds "the sample at t" finds the same one.

/** First index whose value is ≥ t in an ascending list (its length when none is). */
export function lowerBound(sorted: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the value nearest `t` in an ascending list (the earlier one on a tie; −1 when empty). */
export function nearestTimeIndex(sorted: ArrayLike<number>, t: number): number {
  if (sorted.length === 0) return -1;
  const i = lowerBound(sorted, t);
  if (i === 0) return 0;
  if (i === sorted.length) return i - 1;
  return t - sorted[i - 1]! <= sorted[i]! - t ? i - 1 : i;
}
