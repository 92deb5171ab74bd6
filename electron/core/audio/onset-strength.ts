import { melSpectrogram } from './mel-spectrogram.ts';
import { powerToDbInPlace } from './power-to-db.ts';
import type { Spectrogram } from './spectrogram.ts';

export interface OnsetStrengthOptions {
  lag?: number;
  maxSize?: number;
  /** librosa's default is mean; beat_track uses median. */
  aggregate?: 'mean' | 'median';
  center?: boolean;
  nFft?: number;
  hopLength?: number;
  detrend?: boolean;
}

function maxFilterBands(s: Spectrogram, size: number): Float32Array | Float64Array {
  // scipy.ndimage.maximum_filter1d along frequency, mode 'reflect' (edge sample repeated).
  const out = s.data instanceof Float64Array ? new Float64Array(s.data.length) : new Float32Array(s.data.length);
  const half = Math.floor(size / 2);
  const { bins, frames, data } = s;
  const refl = (i: number): number => {
    while (i < 0 || i >= bins) i = i < 0 ? -i - 1 : 2 * bins - i - 1;
    return i;
  };
  for (let t = 0; t < frames; t++) {
    const row = t * bins;
    for (let f = 0; f < bins; f++) {
      let m = -Infinity;
      for (let k = f - half; k < f - half + size; k++) m = Math.max(m, data[row + refl(k)]!);
      out[row + f] = m;
    }
  }
  return out;
}

/** Hoare quickselect: reorders a so that a[k] is the k-th smallest, and returns it. */
function selectKth(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k]!;
}

/**
 * librosa.onset.onset_strength from a precomputed (dB) spectrogram S (SIGNALS §2.4):
 * positive differences at `lag`, aggregated over bands, left-padded with
 * lag + nFft//(2·hop) zeros when centred, optional detrend, cut to the frame count.
 * The result has S's element type (float32 like librosa for float32 input).
 */
export function onsetStrengthFromSpectrogram<T extends Float32Array | Float64Array>(
  s: Spectrogram & { data: T },
  o: OnsetStrengthOptions = {},
): T {
  const lag = o.lag ?? 1;
  const maxSize = o.maxSize ?? 1;
  const center = o.center ?? true;
  const nFft = o.nFft ?? 2048;
  const hop = o.hopLength ?? 512;
  if (!Number.isInteger(lag) || lag < 1) throw new RangeError(`lag must be a positive integer, got ${lag}.`);
  if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}.`);
  const { bins, frames, data } = s;
  const ref = maxSize === 1 ? data : maxFilterBands(s, maxSize);
  const pad = lag + (center ? Math.floor(nFft / (2 * hop)) : 0);
  const outLen = center ? frames : pad + Math.max(0, frames - lag);
  const out = (data instanceof Float64Array ? new Float64Array(outLen) : new Float32Array(outLen)) as T;
  const median = o.aggregate === 'median';
  const tmp = new Float64Array(bins);
  for (let t = lag; t < frames && t - lag + pad < outLen; t++) {
    const cur = t * bins;
    const prev = (t - lag) * bins;
    let v: number;
    if (median) {
      for (let f = 0; f < bins; f++) tmp[f] = Math.max(0, data[cur + f]! - ref[prev + f]!);
      const h = bins >> 1;
      const hi = selectKth(tmp, h);
      if (bins % 2) v = hi;
      else {
        // After selection everything below index h is ≤ tmp[h]: the lower middle is their max.
        let lo = -Infinity;
        for (let k = 0; k < h; k++) if (tmp[k]! > lo) lo = tmp[k]!;
        v = (lo + hi) / 2;
      }
    } else {
      let acc = 0;
      for (let f = 0; f < bins; f++) acc += Math.max(0, data[cur + f]! - ref[prev + f]!);
      v = acc / bins;
    }
    out[t - lag + pad] = v;
  }
  if (o.detrend) {
    // lfilter([1, −1], [1, −0.99]), zero initial state.
    let xPrev = 0;
    let yPrev = 0;
    for (let i = 0; i < out.length; i++) {
      const x = out[i]!;
      const y = x - xPrev + 0.99 * yPrev;
      out[i] = y;
      // Carry the stored value, as scipy does in the output dtype.
      xPrev = x;
      yPrev = out[i]!;
    }
  }
  return out;
}

/** Both envelopes from one mel dB spectrogram (the mel front end is the expensive part). */
export function onsetStrengthFromMelPower(melPower: Spectrogram & { data: Float32Array }, o: OnsetStrengthOptions = {}): Float32Array {
  powerToDbInPlace(melPower.data);
  return onsetStrengthFromSpectrogram(melPower, o);
}

/** librosa.onset.onset_strength(y=y, sr=sr, hop_length, n_fft) with the mel-dB feature. */
export function onsetStrength(y: Float32Array, sampleRate: number, o: OnsetStrengthOptions = {}): Float32Array {
  const nFft = o.nFft ?? 2048;
  const hopLength = o.hopLength ?? 512;
  const mel = melSpectrogram(y, { sampleRate, stft: { nFft, hopLength, center: o.center ?? true, padMode: 'constant' } });
  return onsetStrengthFromMelPower(mel, { ...o, nFft, hopLength });
}
