import { SKIP_BLOCK, TRUE_PEAK_TAPS, absMax, channelWithHistory, interpolatedPeak, interpolationGain, truePeakPhases } from './loudness-meter.ts';

/**
 * The limiter's per-frame peak measure of interleaved stereo, streamed: for frame m, the largest
 * of |x[m]| and of the 4× interpolated points on either side of it, over both channels. Where a
 * block's inputs cannot put any point above `threshold`, nothing is measured and the measure
 * reads 0: exact for the limiter, which only compares peaks with its threshold, and much cheaper.
 * Output lags input by `delay` frames: measure()'s out[i] is frame (frames measured before) + i − delay.
 */
export class FramePeaks {
  readonly delay = TRUE_PEAK_TAPS / 2;
  private readonly phases = truePeakPhases();
  private readonly gain = interpolationGain(this.phases);
  private readonly hist = [new Float64Array(TRUE_PEAK_TAPS - 1), new Float64Array(TRUE_PEAK_TAPS - 1)];
  private readonly prevInterp = [0, 0];
  private ext = new Float64Array(0);

  /** Writes the measure of `interleaved.length / 2` frames into out[0 ..]. */
  measure(interleaved: Float32Array, threshold: number, out: Float64Array): void {
    const n = interleaved.length >> 1;
    const T = TRUE_PEAK_TAPS, D = this.delay;
    if (this.ext.length < T - 1 + n) this.ext = new Float64Array(T - 1 + n);
    const ext = this.ext;
    out.fill(0, 0, n);
    for (let c = 0; c < 2; c++) {
      channelWithHistory(ext, this.hist[c]!, interleaved, c, n);
      let prev = this.prevInterp[c]!;
      for (let i = 0; i < n; i++) {
        if (i % SKIP_BLOCK === 0) {
          const stop = Math.min(n, i + SKIP_BLOCK);
          if (absMax(ext, i, stop + T - 1) * this.gain <= threshold) {
            prev = 0;
            i = stop - 1;
            continue;
          }
        }
        const interp = interpolatedPeak(ext, i, this.phases);
        const v = ext[i + D - 1]!;
        const own = v < 0 ? -v : v;
        out[i] = Math.max(out[i]!, own, interp, prev);
        prev = interp;
      }
      this.prevInterp[c] = prev;
      this.hist[c]!.set(ext.subarray(n, n + T - 1));
    }
  }
}
