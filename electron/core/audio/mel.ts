/**
 * Mel filterbanks as sparse rows (each filter is non-zero on one run of FFT bins):
 * librosa's Slaney/`norm='slaney'` bank (SIGNALS §2.2) and torchaudio's HTK/no-norm bank
 * (what Diff-V2M's "mel" rhythm variant uses).
 */
export interface MelFilterbank {
  nMels: number;
  nBins: number;
  /** First FFT bin of filter m. */
  start: Int32Array;
  /** Weights of filter m for bins start[m] .. start[m] + weights[m].length − 1. */
  weights: Float64Array[];
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMelSlaney(f: number): number {
  return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP : f / F_SP;
}

export function melToHzSlaney(m: number): number {
  return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m;
}

export function hzToMelHtk(f: number): number {
  return 2595 * Math.log10(1 + f / 700);
}

export function melToHzHtk(m: number): number {
  return 700 * (10 ** (m / 2595) - 1);
}

function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = a;
    return out;
  }
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  out[n - 1] = b;
  return out;
}

function sparsify(dense: Float64Array[], nBins: number): MelFilterbank {
  const start = new Int32Array(dense.length);
  const weights: Float64Array[] = [];
  dense.forEach((row, m) => {
    let lo = 0;
    while (lo < nBins && row[lo] === 0) lo++;
    let hi = nBins;
    while (hi > lo && row[hi - 1] === 0) hi--;
    start[m] = lo;
    weights.push(row.slice(lo, hi));
  });
  return { nMels: dense.length, nBins, start, weights };
}

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney'), weights rounded to float32 as librosa stores them. */
export function slaneyMelFilterbank(sr: number, nFft: number, nMels = 128, fmin = 0, fmax = sr / 2): MelFilterbank {
  const nBins = 1 + Math.floor(nFft / 2);
  const melF = linspace(hzToMelSlaney(fmin), hzToMelSlaney(fmax), nMels + 2).map(melToHzSlaney);
  const rows: Float64Array[] = [];
  for (let i = 0; i < nMels; i++) {
    const row = new Float64Array(nBins);
    const d0 = melF[i + 1]! - melF[i]!;
    const d1 = melF[i + 2]! - melF[i + 1]!;
    const enorm = 2 / (melF[i + 2]! - melF[i]!);
    for (let k = 0; k < nBins; k++) {
      const f = (k * sr) / nFft;
      const lower = -(melF[i]! - f) / d0;
      const upper = (melF[i + 2]! - f) / d1;
      row[k] = Math.fround(Math.max(0, Math.min(lower, upper)) * enorm);
    }
    rows.push(row);
  }
  return sparsify(rows, nBins);
}

/** torchaudio.functional.melscale_fbanks(n_freqs, 0, sr/2, n_mels, sr, norm=None, mel_scale='htk'). */
export function htkMelFilterbank(sr: number, nFft: number, nMels = 128, fmin = 0, fmax = sr / 2): MelFilterbank {
  const nBins = 1 + Math.floor(nFft / 2);
  const allFreqs = linspace(0, Math.floor(sr / 2), nBins);
  const fPts = linspace(hzToMelHtk(fmin), hzToMelHtk(fmax), nMels + 2).map(melToHzHtk);
  const rows: Float64Array[] = [];
  for (let i = 0; i < nMels; i++) {
    const row = new Float64Array(nBins);
    const d0 = fPts[i + 1]! - fPts[i]!;
    const d1 = fPts[i + 2]! - fPts[i + 1]!;
    for (let k = 0; k < nBins; k++) {
      const down = (allFreqs[k]! - fPts[i]!) / d0;
      const up = (fPts[i + 2]! - allFreqs[k]!) / d1;
      row[k] = Math.fround(Math.max(0, Math.min(down, up)));
    }
    rows.push(row);
  }
  return sparsify(rows, nBins);
}

/** out[m] = Σ_k W[m,k]·power[k]. */
export function applyMel(fb: MelFilterbank, power: Float64Array, out: Float32Array | Float64Array, offset = 0): void {
  for (let m = 0; m < fb.nMels; m++) {
    const w = fb.weights[m]!;
    const s = fb.start[m]!;
    let acc = 0;
    for (let j = 0; j < w.length; j++) acc += w[j]! * power[s + j]!;
    out[offset + m] = acc;
  }
}
