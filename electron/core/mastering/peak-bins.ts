import { FloatSeries } from './float-series.ts';
import { TRUE_PEAK_TAPS, interpolatedPeak, interpolationGain, truePeakPhases } from './loudness-meter.ts';

/**
 * Frames per bin of the gain model: about 10 at 44.1 kHz (0.23 ms, fine beside the limiter's
 * 2 ms look-ahead and 80 ms release), always a divisor of the loudness meter's 100 ms step so
 * bins add up to its steps exactly.
 */
export function modelBinFrames(sampleRate: number): number {
  const step = Math.round(sampleRate / 10);
  for (let b = Math.max(1, Math.round(sampleRate / 4410)); b > 1; b--) if (step % b === 0) return b;
  return 1;
}

/** Samples before a frame that its left interpolated points read (and, plus one, after). */
const BEFORE = TRUE_PEAK_TAPS / 2;

/**
 * Per-bin peak of the raw audio as the limiter measures peaks (|x| and the 4× interpolated points
 * beside it), gathered while the raw pass streams, and the sample peak. At unit gain nearly every
 * block is within reach of the limiter, so measuring every frame's points as FramePeaks does
 * would cost the raw pass more than a limiter pass; instead, per bin and channel, the limiter's
 * interpolator runs beside the loudest sample and between the adjacent pair with the largest
 * same-sign sum. That finds the bin's true peak unless it lies between two other samples; the
 * model then sees a little less than the limiter will, and the measured correction covers it.
 * Bins whose interpolation cannot reach `floorDb` below the loudest sample so far keep their
 * sample peak: no gain the mastering may try makes the limiter act there.
 */
export class PeakBins {
  private readonly phases = truePeakPhases();
  private readonly gain = interpolationGain(this.phases);
  private readonly floor: number;
  /** Interleaved: BEFORE frames of context, then the frames not yet binned, `carried` in all. */
  private work = new Float32Array(2 * BEFORE); // silence before frame 0, as the limiter starts
  private carried = BEFORE;
  private readonly window = new Float64Array(TRUE_PEAK_TAPS + 1);
  private readonly bins: FloatSeries;
  /** Largest |sample| binned so far. */
  samplePeak = 0;

  /** `frames`: how many will be pushed, where known, to size the bins. */
  constructor(readonly binFrames: number, floorDb: number, frames?: number) {
    this.floor = 10 ** (-floorDb / 20);
    this.bins = new FloatSeries(frames ? Math.ceil(frames / binFrames) : 1024);
  }

  push(interleaved: Float32Array): void {
    const n = interleaved.length >> 1;
    if (this.work.length < 2 * (this.carried + n)) {
      const bigger = new Float32Array(2 * (this.carried + n));
      bigger.set(this.work.subarray(0, 2 * this.carried));
      this.work = bigger;
    }
    this.work.set(interleaved, 2 * this.carried);
    this.carried += n;
    this.bin(false);
  }

  /** The per-bin peaks of every frame pushed (the last bin may be partial). */
  finish(): Float32Array {
    this.push(new Float32Array(2 * BEFORE)); // silence after the end, as the limiter's flush
    this.bin(true);
    return this.bins.values();
  }

  /** Bins every complete bin whose right-hand samples are in; at the end, the rest too. */
  private bin(last: boolean): void {
    const B = this.binFrames, x = this.work;
    const end = this.carried - BEFORE; // a frame's right-hand points read BEFORE samples after it
    const G = this.gain, floor = this.floor;
    let peak = this.samplePeak, at = BEFORE;
    for (; last ? at < end : at + B <= end; at += B) {
      const stop = Math.min(at + B, end);
      let bl = 0, br = 0, al = at, ar = at, sl = 0, sr = 0, pl2 = at, pr2 = at;
      let xl = x[2 * at]!, xr = x[2 * at + 1]!;
      for (let k = at; k < stop; k++) {
        const nl = x[2 * k + 2]!, nr = x[2 * k + 3]!;
        const l = Math.abs(xl), r = Math.abs(xr), ql = Math.abs(xl + nl), qr = Math.abs(xr + nr);
        if (l > bl) { bl = l; al = k; }
        if (r > br) { br = r; ar = k; }
        if (ql > sl) { sl = ql; pl2 = k; }
        if (qr > sr) { sr = qr; pr2 = k; }
        xl = nl;
        xr = nr;
      }
      if (bl > peak) peak = bl;
      if (br > peak) peak = br;
      const thr = peak * floor;
      // Below the floor the points beside the loudest sample matter no more.
      const pl = bl * G <= thr ? bl : this.candidates(al, pl2, 0, bl);
      const pr = br * G <= thr ? br : this.candidates(ar, pr2, 1, br);
      this.bins.push(pl > pr ? pl : pr);
    }
    // Keep BEFORE frames of context and the frames not yet binned.
    x.copyWithin(0, 2 * (at - BEFORE), 2 * this.carried);
    this.carried -= at - BEFORE;
    this.samplePeak = peak;
  }

  /**
   * The larger of |x| at the loudest frame `k` of a channel's bin and of the interpolated points
   * on either side of it and between `pair` and pair + 1 (the adjacent samples with the largest
   * same-sign sum: where noise-like audio peaks between samples that are not the loudest).
   */
  private candidates(k: number, pair: number, channel: number, own: number): number {
    const w = this.window, x = this.work;
    for (let j = 0; j < w.length; j++) w[j] = x[2 * (k - BEFORE + j) + channel]!;
    // interpolatedPeak(w, i) gives the points between w[i + BEFORE − 1] and w[i + BEFORE]: w[BEFORE] is frame k.
    let p = Math.max(own, interpolatedPeak(w, 0, this.phases), interpolatedPeak(w, 1, this.phases));
    if (pair !== k && pair !== k - 1) {
      for (let j = 0; j < w.length; j++) w[j] = x[2 * (pair - BEFORE + j) + channel]!;
      p = Math.max(p, interpolatedPeak(w, 1, this.phases));
    }
    return p;
  }
}
