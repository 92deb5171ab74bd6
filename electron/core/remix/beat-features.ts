import { applyMel, PowerSpectrogramStream, powerToDbInPlace, slaneyMelFilterbank, type Spectrogram } from '../audio/index.ts';

/** Frame grid shared with the rhythm analysis (librosa: n_fft 2048, hop 512, zero-padded centre). */
export const FEATURE_HOP = 512;
export const N_FFT = 2048;
export const CHROMA_BINS = 12;
/** Timbre: the 128 mel bands averaged in groups of 8 (a coarse spectral envelope). */
export const TIMBRE_BANDS = 16;
export const MEL_BANDS = 128;
/** Bands below ~200 Hz: bass notes and kick drums, the usual marks of a downbeat. */
const LOW_BANDS = 12;

/** Per-frame spectra the beat features and the seam-flux prediction read. */
export interface FrameFeatures {
  sampleRate: number;
  hopLength: number;
  frames: number;
  /** Mel dB spectrogram (frames × 128), librosa's onset front end. */
  melDb: Spectrogram & { data: Float32Array };
  /** Pitch-class energy per frame (frames × 12), 55 Hz–4.2 kHz. */
  chroma: Float32Array;
}

/**
 * One STFT pass over mono audio: the mel dB spectrogram (as librosa's onset_strength sees it)
 * and a chroma per frame, folded from FFT bins to the nearest equal-tempered pitch class.
 * `chroma: false` leaves the chroma empty (measuring seam flux needs only the mel spectrogram).
 */
export function frameFeatures(mono: Float32Array, sampleRate: number, o: { chroma?: boolean } = {}): FrameFeatures {
  const withChroma = o.chroma ?? true;
  const mel = slaneyMelFilterbank(sampleRate, N_FFT);
  const nBins = N_FFT / 2 + 1;
  // Pitch class of each FFT bin, or −1 outside the range where bins resolve semitones at all.
  const pc = new Int8Array(nBins).fill(-1);
  for (let k = 1; k < nBins; k++) {
    const hz = (k * sampleRate) / N_FFT;
    if (hz < 55 || hz > 4200) continue;
    const midi = 69 + 12 * Math.log2(hz / 440);
    pc[k] = ((Math.round(midi) % 12) + 12) % 12;
  }
  const frames = 1 + Math.floor(mono.length / FEATURE_HOP);
  const melData = new Float32Array(frames * MEL_BANDS);
  const chroma = new Float32Array(withChroma ? frames * CHROMA_BINS : 0);
  let t = 0;
  const stream = new PowerSpectrogramStream({ nFft: N_FFT, hopLength: FEATURE_HOP, center: true, padMode: 'constant' }, (p, frame) => {
    if (frame >= frames) return;
    applyMel(mel, p, melData.subarray(frame * MEL_BANDS, (frame + 1) * MEL_BANDS));
    t = frame + 1;
    if (!withChroma) return;
    const c = chroma.subarray(frame * CHROMA_BINS, (frame + 1) * CHROMA_BINS);
    // Magnitude, not power, so one loud partial does not outweigh the chord.
    for (let k = 1; k < nBins; k++) if (pc[k]! >= 0) c[pc[k]!] += Math.sqrt(p[k]!);
  });
  stream.push(mono);
  stream.finish();
  powerToDbInPlace(melData);
  return { sampleRate, hopLength: FEATURE_HOP, frames: t, melDb: { data: melData, bins: MEL_BANDS, frames: t }, chroma };
}

/** Beat-synchronous description of a track: one row per beat interval [beat i, beat i+1). */
export interface BeatFeatures {
  beats: number;
  /** Unit-length chroma per beat (beats × 12). */
  chroma: Float32Array;
  /** Mean mel dB per band group, centred on the track's mean (beats × 16). */
  timbre: Float32Array;
  /** Mean mel dB level per beat. */
  loudnessDb: Float32Array;
  /** Onset strength at the beat (librosa mean flux, max over ±2 frames). */
  flux: Float32Array;
  /** Flux of the low bands at the beat. */
  lowFlux: Float32Array;
  /** Frame of each beat on the feature grid. */
  frame: Int32Array;
}

export function frameOf(sec: number, sampleRate: number, hop = FEATURE_HOP): number {
  return Math.round((sec * sampleRate) / hop);
}

/** Mean positive mel dB rise from frame `from` to frame `to` over bands [b0, b1): librosa's flux. */
export function melRise(melDb: Spectrogram, from: number, to: number, b0 = 0, b1 = melDb.bins): number {
  const { data, bins, frames } = melDb;
  if (from < 0 || to < 0 || from >= frames || to >= frames) return 0;
  let s = 0;
  for (let f = b0; f < b1; f++) s += Math.max(0, data[to * bins + f]! - data[from * bins + f]!);
  return s / (b1 - b0);
}

/** Flux at frame k as an onset detector sees a beat: the strongest rise within ±2 frames. */
export function fluxAround(melDb: Spectrogram, k: number, b0 = 0, b1 = melDb.bins): number {
  let m = 0;
  for (let j = k - 2; j <= k + 2; j++) m = Math.max(m, melRise(melDb, j - 1, j, b0, b1));
  return m;
}

/** Averages the frame features over each beat interval; `endSec` closes the last interval. */
export function beatFeatures(ff: FrameFeatures, beatTimes: Float64Array, endSec: number): BeatFeatures {
  const n = beatTimes.length;
  const sr = ff.sampleRate;
  const { melDb } = ff;
  const chroma = new Float32Array(n * CHROMA_BINS);
  const timbre = new Float32Array(n * TIMBRE_BANDS);
  const loudnessDb = new Float32Array(n);
  const flux = new Float32Array(n);
  const lowFlux = new Float32Array(n);
  const frame = new Int32Array(n);
  const group = MEL_BANDS / TIMBRE_BANDS;
  for (let i = 0; i < n; i++) {
    const k0 = Math.min(ff.frames - 1, frameOf(beatTimes[i]!, sr));
    const k1 = Math.max(k0 + 1, Math.min(ff.frames, frameOf(i + 1 < n ? beatTimes[i + 1]! : endSec, sr)));
    frame[i] = k0;
    const c = chroma.subarray(i * CHROMA_BINS, (i + 1) * CHROMA_BINS);
    const tb = timbre.subarray(i * TIMBRE_BANDS, (i + 1) * TIMBRE_BANDS);
    let level = 0;
    for (let k = k0; k < k1; k++) {
      for (let p = 0; p < CHROMA_BINS; p++) c[p] += ff.chroma[k * CHROMA_BINS + p]!;
      for (let b = 0; b < MEL_BANDS; b++) {
        const v = melDb.data[k * MEL_BANDS + b]!;
        tb[Math.floor(b / group)] += v;
        level += v;
      }
    }
    const len = k1 - k0;
    for (let b = 0; b < TIMBRE_BANDS; b++) tb[b] /= len * group;
    loudnessDb[i] = level / (len * MEL_BANDS);
    let norm = 0;
    for (let p = 0; p < CHROMA_BINS; p++) norm += c[p]! ** 2;
    norm = Math.sqrt(norm);
    for (let p = 0; p < CHROMA_BINS; p++) c[p] = norm > 0 ? c[p]! / norm : 0;
    flux[i] = fluxAround(melDb, k0);
    lowFlux[i] = fluxAround(melDb, k0, 0, LOW_BANDS);
  }
  // Centre the timbre on the track's own mean, so cosine similarity compares colour, not level.
  for (let b = 0; b < TIMBRE_BANDS; b++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += timbre[i * TIMBRE_BANDS + b]!;
    m /= Math.max(1, n);
    for (let i = 0; i < n; i++) timbre[i * TIMBRE_BANDS + b] -= m;
  }
  return { beats: n, chroma, timbre, loudnessDb, flux, lowFlux, frame };
}

/** Cosine of rows i and j of a (rows × dim) matrix; 0 when either row is all zero. */
export function rowCosine(m: Float32Array, dim: number, i: number, j: number): number {
  let d = 0, a = 0, b = 0;
  for (let k = 0; k < dim; k++) {
    const x = m[i * dim + k]!, y = m[j * dim + k]!;
    d += x * y;
    a += x * x;
    b += y * y;
  }
  return a > 0 && b > 0 ? d / Math.sqrt(a * b) : 0;
}
