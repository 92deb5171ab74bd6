import { LoudnessMeter } from './loudness-meter.ts';
import { PeakBins, modelBinFrames } from './peak-bins.ts';
import type { StereoSource } from './stereo-source.ts';

/** More than this past the sample peak and the limiter would crush spiky audio chasing loudness. */
export const MAX_LIMITING_DB = 12;
/** Room for true-peak retries to lower the limiter's threshold: the model's peaks are measured this far below the limiting range too. */
const THRESHOLD_MARGIN_DB = 1.5;

/** What the mastering needs to know of the unmastered audio before its first write pass. */
export interface RawMeasure {
  frames: number;
  sampleRate: number;
  /** Integrated loudness (LUFS); −Infinity when silent. */
  integratedLufs: number;
  samplePeak: number;
  binFrames: number;
  /** Per bin: the limiter's peak measure at unit gain, and the K-weighted energy. */
  binPeaks: Float32Array;
  binEnergies: Float32Array;
}

/**
 * The mastering's raw pass (loudness, sample peak, the loudness model's bins), fed chunk by chunk
 * in order. The mastering runs it itself; a producer that writes the audio anyway (the composer's
 * effects bus) can run it as it writes and hand the result over with the source.
 */
export class RawPass {
  private readonly meter: LoudnessMeter;
  private readonly peaks: PeakBins;
  private readonly binFrames: number;
  private pushed = 0;

  constructor(private readonly sampleRate: number, private readonly frames: number) {
    this.binFrames = modelBinFrames(sampleRate);
    this.meter = new LoudnessMeter(sampleRate, { binFrames: this.binFrames, frames });
    this.peaks = new PeakBins(this.binFrames, MAX_LIMITING_DB + THRESHOLD_MARGIN_DB, frames);
  }

  push(interleaved: Float32Array): void {
    this.meter.push(interleaved);
    this.peaks.push(interleaved);
    this.pushed += interleaved.length / 2;
  }

  finish(): RawMeasure {
    if (this.pushed !== this.frames) throw new Error(`Internal error: the raw pass saw ${this.pushed} of ${this.frames} frames.`);
    const binPeaks = this.peaks.finish();
    return {
      frames: this.frames, sampleRate: this.sampleRate, integratedLufs: this.meter.integrated(), samplePeak: this.peaks.samplePeak,
      binFrames: this.binFrames, binPeaks, binEnergies: this.meter.binEnergies(),
    };
  }
}

/** A source that carries its raw pass, measured while it was written. */
export interface MeasuredSource extends StereoSource {
  readonly measured?: RawMeasure;
}
