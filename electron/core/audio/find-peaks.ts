/**
 * scipy.signal.find_peaks(x, prominence=p) (SIGNALS §2.10): local maxima (plateau midpoints,
 * never the first or last sample) whose prominence, with wlen = the whole signal, is ≥ p.
 */
export interface PeaksWithProminence {
  peaks: Int32Array;
  prominences: Float64Array;
}

/** scipy _local_maxima_1d. */
export function localMaxima(x: ArrayLike<number>): Int32Array {
  const out: number[] = [];
  const iMax = x.length - 1;
  let i = 1;
  while (i < iMax) {
    if (x[i - 1]! < x[i]!) {
      let ahead = i + 1;
      while (ahead < iMax && x[ahead] === x[i]) ahead++;
      if (x[ahead]! < x[i]!) {
        out.push((i + ahead - 1) >> 1);
        i = ahead;
      }
    }
    i++;
  }
  return Int32Array.from(out);
}

/** scipy _peak_prominences with wlen covering the whole signal. */
export function peakProminences(x: ArrayLike<number>, peaks: Int32Array): Float64Array {
  const prom = new Float64Array(peaks.length);
  const n = x.length;
  peaks.forEach((peak, k) => {
    const h = x[peak]!;
    let leftMin = h;
    for (let i = peak; i >= 0 && x[i]! <= h; i--) if (x[i]! < leftMin) leftMin = x[i]!;
    let rightMin = h;
    for (let i = peak; i < n && x[i]! <= h; i++) if (x[i]! < rightMin) rightMin = x[i]!;
    prom[k] = h - Math.max(leftMin, rightMin);
  });
  return prom;
}

export function findPeaksProminence(x: ArrayLike<number>, minProminence: number): PeaksWithProminence {
  const cand = localMaxima(x);
  const prom = peakProminences(x, cand);
  const keep: number[] = [];
  for (let i = 0; i < cand.length; i++) if (prom[i]! >= minProminence) keep.push(i);
  return { peaks: Int32Array.from(keep, (i) => cand[i]!), prominences: Float64Array.from(keep, (i) => prom[i]!) };
}
