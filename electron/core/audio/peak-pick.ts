/**
 * librosa 0.11 `util.peak_pick` (SIGNALS §2.5): greedy scan, half-open windows
 * [n − pre, n + post) truncated at the edges, and a `wait` skip after each peak.
 */
export interface PeakPickParams {
  preMax: number;
  postMax: number;
  preAvg: number;
  postAvg: number;
  delta: number;
  wait: number;
}

function checkedInt(name: string, v: number, positive: boolean): number {
  if (!Number.isFinite(v)) throw new RangeError(`peakPick: ${name} must be a finite number, got ${v}.`);
  if (positive ? v <= 0 : v < 0) {
    throw new RangeError(`peakPick: ${name} must be ${positive ? 'positive' : 'non-negative'}, got ${v}.`);
  }
  // librosa casts with valid_int(x, cast=np.ceil).
  return Math.ceil(v);
}

/**
 * Returns the indices (samples of x) of the picked peaks.
 *
 * Numerics follow librosa's numba kernel: `delta` is a float32 argument, and for Float32Array
 * input the window mean is accumulated in float32 and divided in float64 (numba's np.mean),
 * so ties decide exactly as in librosa.
 */
export function peakPick(x: ArrayLike<number>, p: PeakPickParams): Int32Array {
  const preMax = checkedInt('preMax', p.preMax, false);
  const postMax = checkedInt('postMax', p.postMax, true);
  const preAvg = checkedInt('preAvg', p.preAvg, false);
  const postAvg = checkedInt('postAvg', p.postAvg, true);
  const wait = checkedInt('wait', p.wait, false);
  if (!Number.isFinite(p.delta) || p.delta < 0) {
    throw new RangeError(`peakPick: delta must be a non-negative number, got ${p.delta}.`);
  }
  const delta = Math.fround(p.delta);
  const n = x.length;
  const out: number[] = [];
  if (n === 0) return new Int32Array(0);
  const f32 = x instanceof Float32Array;

  const windowMax = (lo: number, hi: number): number => {
    let m = x[lo]!;
    for (let i = lo + 1; i < hi; i++) if (x[i]! > m || Number.isNaN(x[i]!)) m = x[i]!;
    return m;
  };
  const windowMean = (lo: number, hi: number): number => {
    let s = 0;
    if (f32) for (let i = lo; i < hi; i++) s = Math.fround(s + x[i]!);
    else for (let i = lo; i < hi; i++) s += x[i]!;
    return s / (hi - lo);
  };

  // The first sample has no "pre" window.
  const first = x[0]! >= windowMax(0, Math.min(postMax, n)) && x[0]! >= windowMean(0, Math.min(postAvg, n)) + delta;
  if (first) out.push(0);
  let i = first ? wait + 1 : 1;
  while (i < n) {
    const v = x[i]!;
    if (v === windowMax(Math.max(0, i - preMax), Math.min(i + postMax, n)) &&
        v >= windowMean(Math.max(0, i - preAvg), Math.min(i + postAvg, n)) + delta) {
      out.push(i);
      i += wait + 1;
    } else {
      i += 1;
    }
  }
  return Int32Array.from(out);
}
