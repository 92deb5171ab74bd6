import { fftPlan, nextPowerOfTwo, powerSpectrum, powerSpectrumPair } from './real-fft.ts';
import { hannPeriodic } from './window.ts';

const TINY = 2.2250738585072014e-308;

/**
 * Calls `column(ac, t)` with each column of librosa.feature.tempogram (SIGNALS §2.6): the
 * windowed, linear-ramp-padded envelope's autocorrelation over lags 0..win−1, max-normalised.
 * The autocorrelation is exact with zero padding to a power of two ≥ 2·win − 1.
 */
export function forEachTempogramColumn(
  env: ArrayLike<number>,
  winLength: number,
  column: (ac: Float64Array, t: number) => void,
  opts: { center?: boolean; normalize?: boolean } = {},
): void {
  if (!Number.isInteger(winLength) || winLength < 1) throw new RangeError(`winLength must be a positive integer, got ${winLength}.`);
  const center = opts.center ?? true;
  const n = env.length;
  const half = Math.floor(winLength / 2);
  let padded: Float64Array;
  if (center) {
    // np.pad(mode='linear_ramp', end_values=0), values stored in the envelope's dtype.
    const r = env instanceof Float32Array ? Math.fround : (v: number) => v;
    padded = new Float64Array(n + 2 * half);
    const e0 = n ? env[0]! : 0;
    const e1 = n ? env[n - 1]! : 0;
    for (let i = 0; i < half; i++) {
      padded[i] = r((e0 * i) / half);
      padded[n + 2 * half - 1 - i] = r((e1 * i) / half);
    }
    for (let i = 0; i < n; i++) padded[half + i] = env[i]!;
  } else {
    padded = Float64Array.from(env);
  }
  const nFrames = center ? n : Math.max(0, 1 + padded.length - winLength);
  if (padded.length < winLength) return;
  const size = nextPowerOfTwo(2 * winLength - 1);
  const plan = fftPlan(size);
  const w = hannPeriodic(winLength);
  const x = new Float64Array(size);
  const spec = new Float64Array(2 * size);
  const ac = new Float64Array(2 * size);
  const col = new Float64Array(winLength);
  const normalize = opts.normalize ?? true;
  for (let t = 0; t < nFrames; t++) {
    for (let i = 0; i < winLength; i++) x[i] = padded[t + i]! * w[i]!;
    plan.realTransform(spec, x);
    plan.completeSpectrum(spec);
    for (let k = 0; k < size; k++) {
      const re = spec[2 * k]!;
      const im = spec[2 * k + 1]!;
      spec[2 * k] = re * re + im * im;
      spec[2 * k + 1] = 0;
    }
    plan.inverseTransform(ac, spec);
    let m = 0;
    for (let k = 0; k < winLength; k++) {
      col[k] = ac[2 * k]!;
      m = Math.max(m, Math.abs(col[k]!));
    }
    if (normalize && m >= TINY) for (let k = 0; k < winLength; k++) col[k] = col[k]! / m;
    column(col, t);
  }
}

/** The full tempogram, lag-major: out[k·n + t] (shape win × n, as librosa). */
export function tempogram(env: ArrayLike<number>, winLength = 384, opts: { center?: boolean; normalize?: boolean } = {}): Float64Array {
  const n = (opts.center ?? true) ? env.length : Math.max(0, env.length - winLength + 1);
  const out = new Float64Array(winLength * n);
  forEachTempogramColumn(env, winLength, (ac, t) => {
    for (let k = 0; k < winLength; k++) out[k * n + t] = ac[k]!;
  }, opts);
  return out;
}

/**
 * Mean over time of the tempogram (what tempo estimation uses), without storing it. Each column
 * is ac_t / max|ac_t| and the max of an autocorrelation is its lag-0 energy, so the mean is one
 * inverse FFT of Σ_t |X_t|² / r_t(0): one forward FFT per frame instead of a forward and an inverse.
 */
export function tempogramMean(env: ArrayLike<number>, winLength: number): Float64Array {
  const out = new Float64Array(winLength);
  const n = env.length;
  if (!Number.isInteger(winLength) || winLength < 1) throw new RangeError(`winLength must be a positive integer, got ${winLength}.`);
  if (n === 0) return out;
  const half = Math.floor(winLength / 2);
  const r = env instanceof Float32Array ? Math.fround : (v: number) => v;
  const padded = new Float64Array(n + 2 * half);
  for (let i = 0; i < half; i++) {
    padded[i] = r((env[0]! * i) / half);
    padded[n + 2 * half - 1 - i] = r((env[n - 1]! * i) / half);
  }
  for (let i = 0; i < n; i++) padded[half + i] = env[i]!;
  const size = nextPowerOfTwo(2 * winLength - 1);
  const plan = fftPlan(size);
  const w = hannPeriodic(winLength);
  const x1 = new Float64Array(size);
  const x2 = new Float64Array(size);
  const packed = new Float64Array(2 * size);
  const spec = new Float64Array(2 * size);
  const p1 = new Float64Array(size / 2 + 1);
  const p2 = new Float64Array(size / 2 + 1);
  const acc = new Float64Array(size / 2 + 1);
  const load = (x: Float64Array, t: number): number => {
    let energy = 0;
    for (let i = 0; i < winLength; i++) {
      const v = padded[t + i]! * w[i]!;
      x[i] = v;
      energy += v * v;
    }
    return energy >= TINY ? 1 / energy : 1;
  };
  const add = (p: Float64Array, scale: number) => {
    for (let k = 0; k <= size / 2; k++) acc[k] = acc[k]! + p[k]! * scale;
  };
  let t = 0;
  for (; t + 1 < n; t += 2) {
    const s1 = load(x1, t);
    const s2 = load(x2, t + 1);
    powerSpectrumPair(plan, x1, x2, packed, spec, p1, p2);
    add(p1, s1);
    add(p2, s2);
  }
  if (t < n) {
    const s1 = load(x1, t);
    powerSpectrum(plan, x1, spec, p1);
    add(p1, s1);
  }
  // Inverse of a real, even spectrum.
  const full = new Float64Array(2 * size);
  for (let k = 0; k < size; k++) full[2 * k] = acc[k <= size / 2 ? k : size - k]!;
  const ac = new Float64Array(2 * size);
  plan.inverseTransform(ac, full);
  for (let k = 0; k < winLength; k++) out[k] = ac[2 * k]! / n;
  return out;
}
