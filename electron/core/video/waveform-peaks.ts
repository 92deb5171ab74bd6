import { GrowableArray } from './growable.ts';

/** Min/max of the audio per bucket at one zoom level. */
export interface WaveformLevel {
  samplesPerBucket: number;
  min: Float32Array;
  max: Float32Array;
}

export interface WaveformPeaks {
  sampleRate: number;
  /** Sample frames seen. */
  frames: number;
  /** Finest first; each level merges `factor` buckets of the previous one. */
  levels: WaveformLevel[];
}

interface LevelState {
  samplesPerBucket: number;
  min: GrowableArray<Float32Array>;
  max: GrowableArray<Float32Array>;
  curMin: number;
  curMax: number;
  count: number;
}

/**
 * Streaming min/max reduction of interleaved PCM for a timeline waveform (as peaks.js and
 * wavesurfer cache per zoom level). Memory is the output only: frames / baseBucket values.
 */
export class WaveformPeaksBuilder {
  private readonly levels: LevelState[] = [];
  private frames = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly channels: number,
    baseBucket = 256,
    factor = 4,
    levelCount = 4,
  ) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`WaveformPeaksBuilder: channels must be a positive integer, got ${channels}.`);
    if (!Number.isInteger(baseBucket) || baseBucket < 1) throw new RangeError(`WaveformPeaksBuilder: baseBucket must be a positive integer, got ${baseBucket}.`);
    if (!Number.isInteger(factor) || factor < 2) throw new RangeError(`WaveformPeaksBuilder: factor must be an integer ≥ 2, got ${factor}.`);
    if (!Number.isInteger(levelCount) || levelCount < 1) throw new RangeError(`WaveformPeaksBuilder: levelCount must be a positive integer, got ${levelCount}.`);
    for (let i = 0, spb = baseBucket; i < levelCount; i++, spb *= factor) {
      this.levels.push({ samplesPerBucket: spb, min: new GrowableArray(Float32Array), max: new GrowableArray(Float32Array), curMin: Infinity, curMax: -Infinity, count: 0 });
    }
  }

  /** Adds interleaved samples (whole sample frames). Min/max is taken across channels. */
  push(samples: Float32Array): void {
    const ch = this.channels;
    if (samples.length % ch !== 0) throw new RangeError(`WaveformPeaksBuilder: ${samples.length} samples is not a whole number of ${ch}-channel frames.`);
    const base = this.levels[0]!;
    for (let i = 0; i < samples.length; i += ch) {
      let lo = samples[i]!, hi = lo;
      for (let c = 1; c < ch; c++) {
        const v = samples[i + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo < base.curMin) base.curMin = lo;
      if (hi > base.curMax) base.curMax = hi;
      if (++base.count === base.samplesPerBucket) this.close(0);
    }
    this.frames += samples.length / ch;
  }

  private close(level: number): void {
    const up = this.emit(level);
    if (up && up.count === up.samplesPerBucket) this.close(level + 1);
  }

  /** Writes the level's current bucket, folds it into the next level's, and starts a new one. */
  private emit(level: number): LevelState | undefined {
    const l = this.levels[level]!;
    l.min.push(l.curMin);
    l.max.push(l.curMax);
    const up = this.levels[level + 1];
    if (up) {
      if (l.curMin < up.curMin) up.curMin = l.curMin;
      if (l.curMax > up.curMax) up.curMax = l.curMax;
      up.count += l.count;
    }
    l.curMin = Infinity;
    l.curMax = -Infinity;
    l.count = 0;
    return up;
  }

  /** Closes the partial last buckets and returns every level. */
  finish(): WaveformPeaks {
    for (let i = 0; i < this.levels.length; i++) if (this.levels[i]!.count > 0) this.emit(i);
    return {
      sampleRate: this.sampleRate,
      frames: this.frames,
      levels: this.levels.map((l) => ({ samplesPerBucket: l.samplesPerBucket, min: l.min.toArray(), max: l.max.toArray() })),
    };
  }
}
