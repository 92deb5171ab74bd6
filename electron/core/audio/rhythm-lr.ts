import { blockResizeNormalize } from './block-resize.ts';
import { melSpectrogram } from './mel-spectrogram.ts';
import { onsetStrength } from './onset-strength.ts';
import { powerToDbInPlace } from './power-to-db.ts';
import type { Spectrogram } from './spectrogram.ts';
import { tempogram } from './tempogram.ts';

/** Diff-V2M conditions mel and tempogram rhythm on 16 columns per time step. */
export const RHYTHM_LR_COLUMNS = 16;

/** Seconds covered by n samples, rounded up: the number of rows of the low-resolution features. */
export function secondsOf(samples: number, sampleRate: number): number {
  return Math.ceil(samples / sampleRate);
}

/** torchaudio MelSpectrogram(n_fft 2048, hop 512, 128 mels, power 2) + AmplitudeToDB(), as Diff-V2M's "mel" rhythm. */
export function torchaudioMelDb(y: Float32Array, sampleRate: number): Spectrogram & { data: Float32Array } {
  const mel = melSpectrogram(y, {
    sampleRate,
    scale: 'htk',
    stft: { nFft: 2048, hopLength: 512, center: true, padMode: 'reflect' },
  });
  powerToDbInPlace(mel.data, { topDb: null });
  return mel;
}

/** Mel_LR: the torchaudio mel dB (T × 128) block-averaged to rows × 16 and z-scored. */
export function melLRFromSpectrogram(melDb: Spectrogram, rows: number): Float32Array {
  return blockResizeNormalize(melDb.data, melDb.frames, melDb.bins, rows, RHYTHM_LR_COLUMNS);
}

export function melLR(y: Float32Array, sampleRate: number, rows = secondsOf(y.length, sampleRate)): Float32Array {
  return melLRFromSpectrogram(torchaudioMelDb(y, sampleRate), rows);
}

/** Tem_LR from a hop-128 onset envelope: tempogram(win 384) transposed (T × 384), block-averaged to rows × 16, z-scored. */
export function temLRFromEnvelope(env128: Float32Array, rows: number): Float32Array {
  const win = 384;
  const n = env128.length;
  const lagMajor = tempogram(env128, win);
  const frameMajor = new Float32Array(n * win);
  for (let k = 0; k < win; k++) for (let t = 0; t < n; t++) frameMajor[t * win + k] = lagMajor[k * n + t]!;
  return blockResizeNormalize(frameMajor, n, win, rows, RHYTHM_LR_COLUMNS);
}

/** librosa.feature.tempogram(y, sr, hop_length=128, win_length=384) → Tem_LR (Diff-V2M "tempo" rhythm). */
export function temLR(y: Float32Array, sampleRate: number, rows = secondsOf(y.length, sampleRate)): Float32Array {
  return temLRFromEnvelope(onsetStrength(y, sampleRate, { hopLength: 128 }), rows);
}
