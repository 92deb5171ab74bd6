import { peakPick, type PeakPickParams } from './peak-pick.ts';

const FLOAT32_TINY = 1.1754943508222875e-38;
const FLOAT64_TINY = 2.2250738585072014e-308;

export interface OnsetDetectOptions {
  sampleRate: number;
  hopLength?: number;
  /** Overrides of the peak-picking defaults derived from sampleRate and hopLength. */
  peak?: Partial<PeakPickParams>;
  normalize?: boolean;
  /** Roll each onset back to the preceding local minimum of the envelope (or of `energy`). */
  backtrack?: boolean;
  energy?: ArrayLike<number>;
}

/** onset_detect's peak_pick defaults (SIGNALS §2.5 table); `//` on floats is floor. */
export function defaultPeakParams(sampleRate: number, hopLength: number): PeakPickParams {
  const fl = (x: number) => Math.floor(x / hopLength);
  return {
    preMax: fl(0.03 * sampleRate),
    postMax: fl(0.0 * sampleRate) + 1,
    preAvg: fl(0.1 * sampleRate),
    postAvg: fl(0.1 * sampleRate) + 1,
    wait: fl(0.03 * sampleRate),
    delta: 0.07,
  };
}

/** librosa.onset.onset_backtrack: nearest preceding minimum (e[i] ≤ e[i−1] and e[i] < e[i+1], or index 0). */
export function onsetBacktrack(events: Int32Array, energy: ArrayLike<number>): Int32Array {
  const minima: number[] = [0];
  for (let i = 1; i + 1 < energy.length; i++) if (energy[i]! <= energy[i - 1]! && energy[i]! < energy[i + 1]!) minima.push(i);
  return events.map((e) => {
    // The last minimum ≤ e (searchsorted side='right' − 1).
    let lo = 0;
    let hi = minima.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (minima[mid]! <= e) lo = mid + 1;
      else hi = mid;
    }
    return minima[Math.max(0, lo - 1)]!;
  });
}

/** librosa.onset.onset_detect(onset_envelope=env, units='frames'): onset frame indices. */
export function onsetDetect(env: Float32Array | Float64Array, o: OnsetDetectOptions): Int32Array {
  const hop = o.hopLength ?? 512;
  const n = env.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(env[i]!)) return new Int32Array(0);
  let x: Float32Array | Float64Array = env;
  if (o.normalize ?? true) {
    const f32 = env instanceof Float32Array;
    const r = f32 ? Math.fround : (v: number) => v;
    let lo = Infinity;
    for (let i = 0; i < n; i++) lo = Math.min(lo, env[i]!);
    x = f32 ? new Float32Array(n) : new Float64Array(n);
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      x[i] = r(env[i]! - lo);
      hi = Math.max(hi, x[i]!);
    }
    const denom = r(hi + (f32 ? FLOAT32_TINY : FLOAT64_TINY));
    for (let i = 0; i < n; i++) x[i] = r(x[i]! / denom);
  }
  let any = false;
  for (let i = 0; i < n && !any; i++) any = x[i] !== 0;
  if (!any) return new Int32Array(0);
  const onsets = peakPick(x, { ...defaultPeakParams(o.sampleRate, hop), ...o.peak });
  return o.backtrack ? onsetBacktrack(onsets, o.energy ?? env) : onsets;
}

export function framesToTime(frames: ArrayLike<number>, sampleRate: number, hopLength = 512): Float64Array {
  return Float64Array.from(frames as ArrayLike<number>, (f) => (f * hopLength) / sampleRate);
}
