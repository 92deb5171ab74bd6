import { fftPlan, powerSpectrum, powerSpectrumPair } from './real-fft.ts';
import { hannPeriodic } from './window.ts';

export interface StftOptions {
  nFft: number;
  hopLength: number;
  /** Centre frames on t·hop by padding nFft/2 on both sides (librosa `center=True`). */
  center: boolean;
  /** librosa ≥ 0.10 pads with zeros; torchaudio pads by reflection. */
  padMode: 'constant' | 'reflect';
}

export const librosaStft: StftOptions = { nFft: 2048, hopLength: 512, center: true, padMode: 'constant' };

/** Number of frames librosa produces for n samples. */
export function stftFrameCount(n: number, o: StftOptions): number {
  if (o.center) return 1 + Math.floor(n / o.hopLength);
  return n < o.nFft ? 0 : 1 + Math.floor((n - o.nFft) / o.hopLength);
}

/** Receives |STFT|² of one frame (bins 0..nFft/2). The array is reused: copy what you keep. */
export type PowerFrameSink = (power: Float64Array, frame: number) => void;

/**
 * Streaming power spectrogram, periodic Hann window: push mono samples in any chunk sizes,
 * then `finish()`. Holds about one frame of audio, so memory does not grow with duration.
 */
export class PowerSpectrogramStream {
  private readonly window: Float64Array;
  private readonly frameBuf: Float64Array;
  private readonly scratch: Float64Array;
  private readonly power: Float64Array;
  private readonly frameBuf2: Float64Array;
  private readonly packed: Float64Array;
  private readonly power2: Float64Array;
  private readonly plan;
  /** Padded signal samples not yet consumed; buf[0] is padded index `bufStart`. */
  private buf: Float32Array;
  private bufLen = 0;
  private bufStart = 0;
  private head: Float32Array | null; // first nFft/2+1 samples, for the reflect pad at the start
  private headLen = 0;
  private started = false;
  private inputLen = 0;
  private frame = 0;
  private finished = false;

  constructor(private readonly o: StftOptions, private readonly sink: PowerFrameSink) {
    if (!Number.isInteger(o.nFft) || o.nFft < 2 || (o.nFft & (o.nFft - 1)) !== 0) {
      throw new RangeError(`nFft must be a power of two ≥ 2, got ${o.nFft}.`);
    }
    if (!Number.isInteger(o.hopLength) || o.hopLength < 1) throw new RangeError(`hopLength must be a positive integer, got ${o.hopLength}.`);
    this.plan = fftPlan(o.nFft);
    this.window = hannPeriodic(o.nFft);
    this.frameBuf = new Float64Array(o.nFft);
    this.scratch = new Float64Array(2 * o.nFft);
    this.power = new Float64Array(o.nFft / 2 + 1);
    this.frameBuf2 = new Float64Array(o.nFft);
    this.packed = new Float64Array(2 * o.nFft);
    this.power2 = new Float64Array(o.nFft / 2 + 1);
    this.buf = new Float32Array(Math.max(4 * o.nFft, 65536));
    this.head = o.center && o.padMode === 'reflect' ? new Float32Array(o.nFft / 2 + 1) : null;
    if (o.center && o.padMode === 'constant') this.append(new Float32Array(o.nFft / 2));
  }

  get framesEmitted(): number {
    return this.frame;
  }

  get samplesPushed(): number {
    return this.inputLen;
  }

  push(samples: Float32Array): void {
    if (this.finished) throw new Error('PowerSpectrogramStream: push after finish.');
    this.inputLen += samples.length;
    if (this.head && !this.started) {
      // Reflect padding needs x[1..nFft/2] before the first frame can be formed.
      const need = this.head.length - this.headLen;
      const take = Math.min(need, samples.length);
      this.head.set(samples.subarray(0, take), this.headLen);
      this.headLen += take;
      if (this.headLen < this.head.length) return;
      this.startReflect();
      samples = samples.subarray(take);
    }
    this.append(samples);
    this.drain();
  }

  /** Emits the remaining frames; returns the total frame count. */
  finish(): number {
    if (this.finished) return this.frame;
    this.finished = true;
    const half = this.o.nFft / 2;
    if (this.head && !this.started) {
      if (this.inputLen <= half) {
        throw new RangeError(`Reflect padding needs more than ${half} samples; the signal has ${this.inputLen}.`);
      }
      this.startReflect();
    }
    if (this.o.center) {
      if (this.o.padMode === 'constant') this.append(new Float32Array(half));
      else {
        // The last half+1 input samples are still buffered (a frame needs nFft of them).
        const tail = new Float32Array(half);
        const end = this.bufLen; // buf[end-1] is the last input sample
        for (let i = 0; i < half; i++) tail[i] = this.buf[end - 2 - i]!;
        this.append(tail);
      }
    }
    this.drain();
    const expected = stftFrameCount(this.inputLen, this.o);
    if (this.frame !== expected) throw new Error(`internal: emitted ${this.frame} STFT frames, expected ${expected}`);
    return this.frame;
  }

  private startReflect(): void {
    const head = this.head!;
    const half = this.o.nFft / 2;
    const pre = new Float32Array(half);
    for (let i = 0; i < half; i++) pre[i] = head[half - i]!;
    this.started = true;
    this.append(pre);
    this.append(head.subarray(0, this.headLen));
    this.head = null;
  }

  private append(x: Float32Array): void {
    if (this.bufLen + x.length > this.buf.length) {
      // Drop consumed samples first; grow only if one chunk is bigger than the buffer.
      // Keep one frame of margin behind the next frame: the reflect tail reads back from the end.
      const keepFrom = this.frame * this.o.hopLength - this.bufStart - this.o.nFft;
      if (keepFrom > 0) {
        this.buf.copyWithin(0, keepFrom, this.bufLen);
        this.bufLen -= keepFrom;
        this.bufStart += keepFrom;
      }
      if (this.bufLen + x.length > this.buf.length) {
        const grown = new Float32Array(Math.max(this.buf.length * 2, this.bufLen + x.length));
        grown.set(this.buf.subarray(0, this.bufLen));
        this.buf = grown;
      }
    }
    this.buf.set(x, this.bufLen);
    this.bufLen += x.length;
  }

  private drain(): void {
    const { nFft, hopLength } = this.o;
    const w = this.window;
    for (;;) {
      const start = this.frame * hopLength - this.bufStart;
      if (start + nFft > this.bufLen) return;
      const b = this.buf;
      const f = this.frameBuf;
      for (let i = 0; i < nFft; i++) f[i] = w[i]! * b[start + i]!;
      const start2 = start + hopLength;
      if (start2 + nFft <= this.bufLen) {
        // Two frames ready: one complex FFT for both.
        const f2 = this.frameBuf2;
        for (let i = 0; i < nFft; i++) f2[i] = w[i]! * b[start2 + i]!;
        powerSpectrumPair(this.plan, f, f2, this.packed, this.scratch, this.power, this.power2);
        this.sink(this.power, this.frame++);
        this.sink(this.power2, this.frame++);
      } else {
        powerSpectrum(this.plan, f, this.scratch, this.power);
        this.sink(this.power, this.frame++);
      }
    }
  }
}
