import { applyMel, htkMelFilterbank, slaneyMelFilterbank, type MelFilterbank } from './mel.ts';
import { SpectrogramBuilder, type Spectrogram } from './spectrogram.ts';
import { PowerSpectrogramStream, librosaStft, stftFrameCount, type StftOptions } from './stft.ts';

export interface MelOptions {
  sampleRate: number;
  stft?: StftOptions;
  nMels?: number;
  /** 'slaney': librosa.feature.melspectrogram defaults; 'htk': torchaudio.transforms.MelSpectrogram defaults. */
  scale?: 'slaney' | 'htk';
  /** Sample count if known in advance, to size the storage once. */
  expectedSamples?: number;
}

/**
 * Streaming mel power spectrogram (power 2). Memory: nMels float32 per hop (128·4 bytes per
 * 512 samples), i.e. a quarter of the mono audio it summarises; the audio itself is not kept.
 */
export class MelSpectrogramStream {
  readonly stft: StftOptions;
  readonly filterbank: MelFilterbank;
  private readonly spec: PowerSpectrogramStream;
  private readonly builder: SpectrogramBuilder;

  constructor(o: MelOptions) {
    if (!Number.isFinite(o.sampleRate) || o.sampleRate <= 0) throw new RangeError(`sampleRate must be positive, got ${o.sampleRate}.`);
    this.stft = o.stft ?? librosaStft;
    const nMels = o.nMels ?? 128;
    this.filterbank = (o.scale ?? 'slaney') === 'slaney'
      ? slaneyMelFilterbank(o.sampleRate, this.stft.nFft, nMels)
      : htkMelFilterbank(o.sampleRate, this.stft.nFft, nMels);
    const expected = o.expectedSamples ? stftFrameCount(o.expectedSamples, this.stft) + 2 : 1024;
    this.builder = new SpectrogramBuilder(nMels, expected);
    const fb = this.filterbank;
    const b = this.builder;
    this.spec = new PowerSpectrogramStream(this.stft, (power) => {
      applyMel(fb, power, b.nextRow());
      b.commit();
    });
  }

  get samplesPushed(): number {
    return this.spec.samplesPushed;
  }

  push(mono: Float32Array): void {
    this.spec.push(mono);
  }

  finish(): Spectrogram & { data: Float32Array } {
    this.spec.finish();
    return this.builder.build();
  }
}

export function melSpectrogram(y: Float32Array, o: MelOptions): Spectrogram & { data: Float32Array } {
  const s = new MelSpectrogramStream({ ...o, expectedSamples: y.length });
  s.push(y);
  return s.finish();
}
