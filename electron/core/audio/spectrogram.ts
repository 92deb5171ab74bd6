/** A (frames × bins) matrix, frame-major: data[t·bins + f]. */
export interface Spectrogram {
  data: Float32Array | Float64Array;
  bins: number;
  frames: number;
}

/** Builds a frame-major spectrogram from a band-major (bins × frames, row-major) matrix. */
export function fromBandMajor(data: Float32Array | Float64Array, bins: number, frames: number): Spectrogram {
  if (data.length !== bins * frames) throw new RangeError(`Expected ${bins}×${frames} values, got ${data.length}.`);
  const out = data instanceof Float64Array ? new Float64Array(bins * frames) : new Float32Array(bins * frames);
  for (let f = 0; f < bins; f++) for (let t = 0; t < frames; t++) out[t * bins + f] = data[f * frames + t]!;
  return { data: out, bins, frames };
}

/** Growable frame-major storage, so a spectrogram can be built frame by frame while streaming. */
export class SpectrogramBuilder {
  private data: Float32Array;
  frames = 0;

  constructor(readonly bins: number, expectedFrames = 1024) {
    this.data = new Float32Array(bins * Math.max(16, expectedFrames));
  }

  /** The row to write frame `frames` into (then call `commit`). */
  nextRow(): Float32Array {
    const need = (this.frames + 1) * this.bins;
    if (need > this.data.length) {
      const grown = new Float32Array(Math.max(need, Math.ceil(this.data.length * 1.5)));
      grown.set(this.data.subarray(0, this.frames * this.bins));
      this.data = grown;
    }
    return this.data.subarray(this.frames * this.bins, need);
  }

  commit(): void {
    this.frames++;
  }

  build(): Spectrogram & { data: Float32Array } {
    return { data: this.data.slice(0, this.frames * this.bins), bins: this.bins, frames: this.frames };
  }
}
