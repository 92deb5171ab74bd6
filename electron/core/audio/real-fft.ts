import FFT from 'fft.js';

const plans = new Map<number, FFT>();

/** A cached fft.js plan; `size` must be a power of two ≥ 2 (fft.js requirement). */
export function fftPlan(size: number): FFT {
  let p = plans.get(size);
  if (!p) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 2, got ${size}.`);
    p = new FFT(size);
    plans.set(size, p);
  }
  return p;
}

export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/**
 * |rfft(x)|² for bins 0..size/2 into `out`. `scratch` is a complex buffer of length 2·size
 * (fft.js interleaved re/im).
 */
export function powerSpectrum(plan: FFT, x: Float64Array, scratch: Float64Array, out: Float64Array): void {
  plan.realTransform(scratch, x);
  const half = plan.size >> 1;
  for (let k = 0; k <= half; k++) {
    const re = scratch[2 * k]!;
    const im = scratch[2 * k + 1]!;
    out[k] = re * re + im * im;
  }
}

/**
 * |rfft|² of two real frames with one complex FFT of x1 + i·x2 (about 30 % cheaper than two
 * real transforms in fft.js). `packed` and `scratch` are complex buffers of length 2·size.
 */
export function powerSpectrumPair(
  plan: FFT,
  x1: Float64Array,
  x2: Float64Array,
  packed: Float64Array,
  scratch: Float64Array,
  out1: Float64Array,
  out2: Float64Array,
): void {
  const n = plan.size;
  for (let i = 0; i < n; i++) {
    packed[2 * i] = x1[i]!;
    packed[2 * i + 1] = x2[i]!;
  }
  plan.transform(scratch, packed);
  const half = n >> 1;
  for (let k = 0; k <= half; k++) {
    const m = k === 0 ? 0 : n - k;
    const a = scratch[2 * k]!;
    const b = scratch[2 * k + 1]!;
    const c = scratch[2 * m]!;
    const d = scratch[2 * m + 1]!;
    const re1 = a + c;
    const im1 = b - d;
    const re2 = b + d;
    const im2 = a - c;
    out1[k] = (re1 * re1 + im1 * im1) * 0.25;
    out2[k] = (re2 * re2 + im2 * im2) * 0.25;
  }
}
