import { fMeasure, matchCount, validateEvents } from './events.ts';

/**
 * mir_eval.beat (0.7/0.8) ported line for line, including its quirks (Python negative
 * indexing in information gain, the 5 s trimming in `evaluate`), so scores equal mir_eval's.
 */
export interface BeatScores {
  fMeasure: number;
  cemgil: number;
  cemgilBestMetricLevel: number;
  goto: number;
  pScore: number;
  cmlC: number;
  cmlT: number;
  amlC: number;
  amlT: number;
  informationGain: number;
}

type Beats = Float64Array;

const at = (a: Beats, i: number): number => a[i < 0 ? a.length + i : i]!;

function argminAbsDiff(x: number, a: Beats): number {
  let best = 0;
  let bestV = Infinity;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(x - a[i]!);
    if (d < bestV) {
      bestV = d;
      best = i;
    }
  }
  return best;
}

export function trimBeats(beats: ArrayLike<number>, minBeatTime = 5.0): Float64Array {
  return Float64Array.from(Array.from(beats).filter((b) => b >= minBeatTime));
}

/** The reference itself, off-beats, double tempo, and the two half-tempo variants. */
export function referenceBeatVariations(ref: Beats): Beats[] {
  const n = ref.length;
  const dbl = new Float64Array(Math.max(0, 2 * n - 1));
  for (let k = 0; k < n; k++) {
    dbl[2 * k] = ref[k]!;
    if (k + 1 < n) dbl[2 * k + 1] = (ref[k + 1]! - ref[k]!) * 0.5 + ref[k]!; // np.interp
  }
  const every = (a: Beats, start: number, step: number) => a.filter((_, i) => i >= start && (i - start) % step === 0);
  return [ref, every(dbl, 1, 2), dbl, every(ref, 0, 2), every(ref, 1, 2)];
}

export function beatFMeasure(ref: Beats, est: Beats, threshold = 0.07): number {
  if (ref.length === 0 || est.length === 0) return 0;
  const m = matchCount(ref, est, threshold);
  return fMeasure(m / est.length, m / ref.length);
}

export function cemgil(ref: Beats, est: Beats, sigma = 0.04): [number, number] {
  if (ref.length === 0 || est.length === 0) return [0, 0];
  const accs = referenceBeatVariations(ref).map((r) => {
    let acc = 0;
    for (const beat of r) {
      let d = Infinity;
      for (const e of est) d = Math.min(d, Math.abs(beat - e));
      acc += Math.exp(-(d * d) / (2.0 * sigma ** 2));
    }
    return acc / (0.5 * (est.length + r.length));
  });
  return [accs[0]!, Math.max(...accs)];
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function stdDdof1(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s / (a.length - 1));
}

/** Python slice a[start:stop] with negative indices. */
function pySlice(a: Float64Array, start: number, stop: number): Float64Array {
  const n = a.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(n, i));
  const s = norm(start);
  const e = norm(stop);
  return e > s ? a.slice(s, e) : new Float64Array(0);
}

export function goto(ref: Beats, est: Beats, threshold = 0.35, mu = 0.2, sigma = 0.2): number {
  if (ref.length === 0 || est.length === 0) return 0;
  const n = ref.length;
  const beatError = new Float64Array(n).fill(1);
  for (let i = 1; i < n - 1; i++) {
    const prevInterval = 0.5 * (ref[i]! - ref[i - 1]!);
    const wMin = ref[i]! - prevInterval;
    const nextInterval = 0.5 * (ref[i + 1]! - ref[i]!);
    const wMax = ref[i]! + nextInterval;
    let count = 0;
    let hit = 0;
    for (const e of est) if (e >= wMin && e < wMax) {
      count++;
      hit = e;
    }
    if (count === 1) {
      const offset = hit - ref[i]!;
      beatError[i] = offset < 0 ? offset / prevInterval : offset / nextInterval;
    } else beatError[i] = 1;
  }
  const incorrect: number[] = [];
  beatError.forEach((v, i) => {
    if (Math.abs(v) > threshold) incorrect.push(i);
  });
  let criteria = 0;
  let track: Float64Array = new Float64Array(0);
  if (incorrect.length < 3) {
    track = pySlice(beatError, incorrect[0]! + 1, incorrect[incorrect.length - 1]! - 1);
    criteria = 1;
  } else {
    const diffs = incorrect.slice(1).map((v, i) => v - incorrect[i]!);
    const trackLen = Math.max(...diffs);
    const trackStart = diffs.indexOf(trackLen);
    if (trackLen - 1 > 0.25 * (n - 2)) {
      criteria = 1;
      track = beatError.slice(incorrect[trackStart]!, incorrect[trackStart + 1]! + 1);
    }
  }
  if (criteria) {
    const absMean = mean(Array.from(track, Math.abs));
    if (absMean < mu && stdDdof1(track) < sigma) criteria = 3;
  }
  return criteria === 3 ? 1 : 0;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function pScore(ref: Beats, est: Beats, threshold = 0.2): number {
  if (ref.length <= 1 || est.length <= 1) return 0;
  const rate = 100;
  const offset = Math.min(Math.min(...est), Math.min(...ref));
  const toIdx = (b: Beats) => [...new Set(Array.from(b, (t) => Math.ceil((t - offset) * rate)))].sort((a, c) => a - c);
  const r = toIdx(ref);
  const e = toIdx(est);
  const intervals = r.slice(1).map((v, i) => v - r[i]!).sort((a, c) => a - c);
  if (intervals.length === 0) throw new RangeError('p-score: all reference beats fall in one 10 ms bin.');
  const mid = intervals.length >> 1;
  const med = intervals.length % 2 ? intervals[mid]! : (intervals[mid - 1]! + intervals[mid]!) / 2;
  const win = roundHalfEven(threshold * med);
  // Σ over lags −win..win of the cross-correlation of the two binary trains = pairs within win.
  let pairs = 0;
  let lo = 0;
  for (const x of e) {
    while (lo < r.length && r[lo]! < x - win) lo++;
    for (let k = lo; k < r.length && r[k]! <= x + win; k++) pairs++;
  }
  return pairs / Math.max(est.length, ref.length);
}

export function continuity(ref: Beats, est: Beats, phaseThreshold = 0.175, periodThreshold = 0.175): [number, number, number, number] {
  if (ref.length <= 1 || est.length <= 1) return [0, 0, 0, 0];
  const cont: number[] = [];
  const total: number[] = [];
  for (const r of referenceBeatVariations(ref)) {
    const nAnn = Math.max(r.length, est.length);
    const used = new Uint8Array(nAnn);
    const success = new Uint8Array(nAnn);
    for (let m = 0; m < est.length; m++) {
      let ok = 0;
      const nearest = argminAbsDiff(est[m]!, r);
      const minDiff = Math.abs(est[m]! - r[nearest]!);
      if (used[nearest] === 0) {
        let phase: number;
        let period: number;
        if (m === 0 || nearest === 0) {
          const refInterval = nearest + 1 < r.length ? r[nearest + 1]! - r[nearest]! : r[nearest]! - at(r, nearest - 1);
          phase = refInterval === 0 ? (minDiff === 0 ? 1 : Infinity) : Math.abs(minDiff / refInterval);
          const estInterval = m + 1 < est.length ? est[m + 1]! - est[m]! : est[m]! - at(est, m - 1);
          period = refInterval === 0 ? (estInterval === 0 ? 0 : Infinity) : Math.abs(1 - estInterval / refInterval);
        } else {
          const refInterval = r[nearest]! - r[nearest - 1]!;
          phase = Math.abs(minDiff / refInterval);
          const estInterval = est[m]! - est[m - 1]!;
          period = Math.abs(1 - estInterval / refInterval);
        }
        if (phase < phaseThreshold && period < periodThreshold) {
          used[nearest] = 1;
          ok = 1;
        }
      }
      success[m] = ok;
    }
    // Longest run of successes, and their total, over nAnn slots.
    let longest = 0;
    let run = 0;
    let sum = 0;
    for (let i = 0; i < nAnn; i++) {
      if (success[i]) {
        run++;
        sum++;
        longest = Math.max(longest, run);
      } else run = 0;
    }
    cont.push(longest / nAnn);
    total.push(sum / nAnn);
  }
  return [cont[0]!, total[0]!, Math.max(...cont), Math.max(...total)];
}

/** numpy.mod(a, b): the result takes the divisor's sign. */
function npMod(a: number, b: number): number {
  let m = a % b;
  if (m !== 0 && m < 0 !== b < 0) m += b;
  else if (m === 0) m = b < 0 ? -0 : 0;
  return m;
}

function entropy(ref: Beats, est: Beats, bins: number): number {
  const err = new Float64Array(est.length);
  for (let n = 0; n < est.length; n++) {
    const closest = argminAbsDiff(est[n]!, ref);
    const absErr = est[n]! - ref[closest]!;
    let interval = 0;
    if (closest === 0) interval = 0.5 * (ref[1]! - ref[0]!);
    if (closest === ref.length - 1) interval = 0.5 * (at(ref, -1) - at(ref, -2));
    else if (absErr < 0) interval = 0.5 * (ref[closest]! - at(ref, closest - 1));
    else interval = 0.5 * (ref[closest + 1]! - ref[closest]!);
    err[n] = (0.5 * absErr) / interval;
  }
  // np.linspace(-0.5, 0.5, bins + 1) and np.histogram's bin search.
  const edges = new Float64Array(bins + 1);
  const step = 1 / bins;
  for (let i = 0; i <= bins; i++) edges[i] = i * step + -0.5;
  edges[bins] = 0.5;
  const counts = new Float64Array(bins);
  let kept = 0;
  for (const raw of err) {
    const v = npMod(raw + 0.5, -1) + 0.5;
    if (!(v >= edges[0]! && v <= edges[bins]!)) continue;
    // Bin i holds edges[i] ≤ v < edges[i+1]; the last bin also holds its right edge.
    let lo = 0;
    let hi = bins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! <= v) lo = mid;
      else hi = mid;
    }
    counts[lo] = counts[lo]! + 1;
    kept++;
  }
  let h = 0;
  for (const c of counts) {
    const p = c === 0 ? 1 : c / kept;
    h -= p * Math.log2(p);
  }
  return h;
}

export function informationGain(ref: Beats, est: Beats, bins = 41): number {
  if (ref.length <= 1 || est.length <= 1) return 0;
  const fwd = entropy(ref, est, bins);
  const bwd = entropy(est, ref, bins);
  const norm = Math.log2(bins);
  return fwd > bwd ? (norm - fwd) / norm : (norm - bwd) / norm;
}

/** mir_eval.beat.evaluate: trims both lists to beats ≥ 5 s, then every score. */
export function evaluateBeats(reference: ArrayLike<number>, estimated: ArrayLike<number>, minBeatTime = 5.0): BeatScores {
  validateEvents(reference, 'reference beats');
  validateEvents(estimated, 'estimated beats');
  const ref = trimBeats(reference, minBeatTime);
  const est = trimBeats(estimated, minBeatTime);
  const [cem, cemBest] = cemgil(ref, est);
  const [cmlC, cmlT, amlC, amlT] = continuity(ref, est);
  return {
    fMeasure: beatFMeasure(ref, est),
    cemgil: cem,
    cemgilBestMetricLevel: cemBest,
    goto: goto(ref, est),
    pScore: pScore(ref, est),
    cmlC,
    cmlT,
    amlC,
    amlT,
    informationGain: informationGain(ref, est),
  };
}
