/**
 * ITU-R BS.1770-4 loudness and true peak, as pure streaming pieces (stereo, L and R weight 1).
 * Checked against ffmpeg's ebur128 filter in the tests.
 */
import { FloatSeries } from './float-series.ts';

export interface Biquad {
  b0: number; b1: number; b2: number; a1: number; a2: number;
}

/**
 * The K-weighting pre-filter (high shelf) and RLB high-pass at any sample rate, from the analog
 * prototypes (the same derivation libebur128 uses); at 48 kHz they equal BS.1770's tables.
 */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  if (!(sampleRate >= 8000)) throw new RangeError(`Loudness needs a sample rate of at least 8000 Hz, got ${sampleRate}.`);
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highpass];
}

/** Gated integrated loudness from 400 ms block mean squares (already channel-summed). */
export function gatedLoudness(blockPowers: ArrayLike<number>): number {
  const ABS_GATE = 10 ** ((-70 + 0.691) / 10);
  let sum = 0, n = 0;
  for (let i = 0; i < blockPowers.length; i++) if (blockPowers[i]! > ABS_GATE) {
    sum += blockPowers[i]!;
    n++;
  }
  if (!n) return -Infinity;
  const relGate = (sum / n) * 10 ** (-10 / 10);
  let s2 = 0, n2 = 0;
  for (let i = 0; i < blockPowers.length; i++) {
    const z = blockPowers[i]!;
    if (z > ABS_GATE && z > relGate) {
      s2 += z;
      n2++;
    }
  }
  return n2 ? -0.691 + 10 * Math.log10(s2 / n2) : -Infinity;
}

/**
 * Streaming integrated loudness (LUFS) of interleaved stereo: K-weighting, 400 ms blocks with
 * 75 % overlap (100 ms steps), absolute gate −70 LUFS, relative gate −10 LU. Memory: one number
 * per 100 ms. With `binFrames` (a divisor of the step) it also keeps the K-weighted energy
 * (L² + R²) of every bin of that many frames, for the mastering's gain model.
 */
export class LoudnessMeter {
  private readonly f: [Biquad, Biquad];
  /** Filter state per channel: [x1, x2, y1, y2] of stage 1, then of stage 2. */
  private readonly st = [new Float64Array(8), new Float64Array(8)];
  private readonly step: number;
  private inStep = 0;
  private acc = 0;
  private readonly steps: number[] = [];
  private readonly binFrames: number;
  private inBin = 0;
  private binAcc = 0;
  private readonly bins: FloatSeries;

  /** `frames`: how many will be pushed, where known, to size the bins. */
  constructor(readonly sampleRate: number, opts: { binFrames?: number; frames?: number } = {}) {
    this.f = kWeightingFilters(sampleRate);
    this.step = Math.round(sampleRate / 10);
    this.binFrames = opts.binFrames ?? 0;
    if (this.binFrames && this.step % this.binFrames) throw new RangeError(`A bin of ${this.binFrames} frames does not divide the ${this.step}-frame step.`);
    this.bins = new FloatSeries(this.binFrames && opts.frames ? Math.ceil(opts.frames / this.binFrames) : 16);
  }

  push(interleaved: Float32Array): void {
    const [s1, s2] = this.f;
    // Locals, not fields, in the per-sample loop: the same arithmetic in the same order, 2-3× faster.
    const { b0, b1, b2, a1, a2 } = s1;
    const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = s2;
    const L = this.st[0]!, R = this.st[1]!;
    let lx1 = L[0]!, lx2 = L[1]!, ly1 = L[2]!, ly2 = L[3]!, lu1 = L[4]!, lu2 = L[5]!, lz1 = L[6]!, lz2 = L[7]!;
    let rx1 = R[0]!, rx2 = R[1]!, ry1 = R[2]!, ry2 = R[3]!, ru1 = R[4]!, ru2 = R[5]!, rz1 = R[6]!, rz2 = R[7]!;
    let acc = this.acc, inStep = this.inStep, binAcc = this.binAcc, inBin = this.inBin;
    const step = this.step, binFrames = this.binFrames;
    const n = interleaved.length >> 1;
    for (let i = 0; i < n; i++) {
      const xl = interleaved[2 * i]!;
      const yl = b0 * xl + b1 * lx1 + b2 * lx2 - a1 * ly1 - a2 * ly2;
      lx2 = lx1; lx1 = xl; ly2 = ly1; ly1 = yl;
      const zl = c0 * yl + c1 * lu1 + c2 * lu2 - d1 * lz1 - d2 * lz2;
      lu2 = lu1; lu1 = yl; lz2 = lz1; lz1 = zl;
      const xr = interleaved[2 * i + 1]!;
      const yr = b0 * xr + b1 * rx1 + b2 * rx2 - a1 * ry1 - a2 * ry2;
      rx2 = rx1; rx1 = xr; ry2 = ry1; ry1 = yr;
      const zr = c0 * yr + c1 * ru1 + c2 * ru2 - d1 * rz1 - d2 * rz2;
      ru2 = ru1; ru1 = yr; rz2 = rz1; rz1 = zr;
      const e = zl * zl + zr * zr;
      acc += e;
      if (++inStep === step) {
        this.steps.push(acc / step);
        acc = 0;
        inStep = 0;
      }
      if (binFrames) {
        binAcc += e;
        if (++inBin === binFrames) {
          this.bins.push(binAcc);
          binAcc = 0;
          inBin = 0;
        }
      }
    }
    L[0] = lx1; L[1] = lx2; L[2] = ly1; L[3] = ly2; L[4] = lu1; L[5] = lu2; L[6] = lz1; L[7] = lz2;
    R[0] = rx1; R[1] = rx2; R[2] = ry1; R[3] = ry2; R[4] = ru1; R[5] = ru2; R[6] = rz1; R[7] = rz2;
    this.acc = acc;
    this.inStep = inStep;
    this.binAcc = binAcc;
    this.inBin = inBin;
  }

  /** K-weighted energy of each complete bin (with `binFrames`; empty without). */
  binEnergies(): Float32Array {
    return this.bins.values();
  }

  /** Mean square of each complete 400 ms block (channel-summed). */
  blockPowers(): Float64Array {
    const n = Math.max(0, this.steps.length - 3);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (this.steps[i]! + this.steps[i + 1]! + this.steps[i + 2]! + this.steps[i + 3]!) / 4;
    return out;
  }

  integrated(): number {
    return gatedLoudness(this.blockPowers());
  }
}

/** Taps per phase of the 4× true-peak interpolator (a Kaiser-windowed sinc, 48 taps in all as in BS.1770 Annex 2). */
export const TRUE_PEAK_TAPS = 12;

function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** Polyphase coefficients: phase p (1..3) interpolates at n + p/4 from x[n-5..n+6]. */
export function truePeakPhases(): Float64Array[] {
  const beta = 7;
  const half = TRUE_PEAK_TAPS / 2;
  const phases: Float64Array[] = [];
  for (let p = 1; p < 4; p++) {
    const h = new Float64Array(TRUE_PEAK_TAPS);
    for (let k = 0; k < TRUE_PEAK_TAPS; k++) {
      const t = k - (half - 1) - p / 4; // distance from the interpolated point to sample n + k − 5
      const x = -t;
      const sinc = Math.sin(Math.PI * x) / (Math.PI * x);
      const r = x / (half + 1);
      h[k] = sinc * (Math.abs(r) <= 1 ? besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta) : 0);
    }
    phases.push(h);
  }
  return phases;
}

/** Largest possible |interpolated value| per unit of input: Σ|h| of the worst phase. */
export function interpolationGain(phases: readonly Float64Array[]): number {
  return Math.max(...phases.map((h) => h.reduce((a, v) => a + Math.abs(v), 0)));
}

/** Blocks whose inputs cannot produce an interpolated value above a threshold are skipped. */
export const SKIP_BLOCK = 64;

/**
 * One channel of interleaved stereo behind the previous chunk's last TAPS − 1 samples, the
 * window the interpolation filter reads: ext[TAPS − 1 + i] is frame i.
 */
export function channelWithHistory(ext: Float64Array, history: Float64Array, interleaved: Float32Array, channel: number, frames: number): void {
  ext.set(history);
  const off = TRUE_PEAK_TAPS - 1;
  for (let i = 0; i < frames; i++) ext[off + i] = interleaved[2 * i + channel]!;
}

/** max |ext[k]| over [from, to): the bound used to skip blocks that cannot matter. */
export function absMax(ext: Float64Array, from: number, to: number): number {
  let m = 0;
  for (let k = from; k < to; k++) {
    const v = ext[k]!;
    if (v > m) m = v;
    else if (-v > m) m = -v;
  }
  return m;
}

/** Largest |value| of the three interpolated points after frame i (window ext[i, i + TAPS)). */
export function interpolatedPeak(ext: Float64Array, i: number, phases: readonly Float64Array[]): number {
  const [p1, p2, p3] = phases as [Float64Array, Float64Array, Float64Array];
  let y1 = 0, y2 = 0, y3 = 0;
  for (let k = 0; k < TRUE_PEAK_TAPS; k++) {
    const v = ext[i + k]!;
    y1 += p1[k]! * v;
    y2 += p2[k]! * v;
    y3 += p3[k]! * v;
  }
  return Math.max(y1 < 0 ? -y1 : y1, y2 < 0 ? -y2 : y2, y3 < 0 ? -y3 : y3);
}

/**
 * Streaming true peak (linear) of interleaved stereo: the largest magnitude of the samples and
 * of the 4× interpolated points between them.
 */
export class TruePeakMeter {
  private readonly phases = truePeakPhases();
  private readonly gain = interpolationGain(this.phases);
  /** The last TAPS − 1 samples of each channel, to interpolate across chunk boundaries. */
  private readonly hist = [new Float64Array(TRUE_PEAK_TAPS - 1), new Float64Array(TRUE_PEAK_TAPS - 1)];
  private peak = 0;

  push(interleaved: Float32Array): void {
    const n = interleaved.length >> 1;
    const T = TRUE_PEAK_TAPS;
    const ext = new Float64Array(T - 1 + n);
    for (let c = 0; c < 2; c++) {
      const h = this.hist[c]!;
      channelWithHistory(ext, h, interleaved, c, n);
      let peak = this.peak;
      for (let i = 0; i < n; i++) {
        if (i % SKIP_BLOCK === 0) {
          // Exact shortcut: if every input a block's interpolation reads is small, no point can beat the peak.
          const stop = Math.min(n, i + SKIP_BLOCK);
          if (absMax(ext, i, stop + T - 1) * this.gain <= peak) {
            i = stop - 1;
            continue;
          }
        }
        const x = ext[T - 1 + i]!;
        const ax = x < 0 ? -x : x;
        if (ax > peak) peak = ax;
        const m = interpolatedPeak(ext, i, this.phases);
        if (m > peak) peak = m;
      }
      this.peak = peak;
      h.set(ext.subarray(n, n + T - 1));
    }
  }

  /** Linear true peak so far. */
  value(): number {
    return this.peak;
  }
}

export const toDb = (linear: number) => (linear > 0 ? 20 * Math.log10(linear) : -Infinity);
