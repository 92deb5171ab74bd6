import { SKIP_BLOCK, TRUE_PEAK_TAPS, absMax, channelWithHistory, interpolatedPeak, interpolationGain, truePeakPhases } from './loudness-meter.ts';

export interface LimiterOptions {
  sampleRate: number;
  /** Linear ceiling for the true peak of the output. */
  ceiling: number;
  lookaheadSec?: number;
  releaseSec?: number;
}

/**
 * Gain computer of a look-ahead true-peak limiter for interleaved stereo. It returns a gain per
 * frame (≤ 1) rather than audio, so the same gain can be applied to the mix and to every stem
 * (the stems keep summing to the mix). For frame n:
 *   need[j] = min(1, ceiling / peak[j])   peak: |x| at j and at the 4× interpolated points next to it
 *   hold[j] = min(need[j .. j+W−1])       look-ahead minimum, W = lookahead
 *   rel[j]  = min(hold[j], rel[j−1] + (1 − rel[j−1])·α)   exponential release
 *   gain[n] = mean(rel[n−W+1 .. n])       smooth attack; ≤ need[n] because every window holds n
 * Gains come out in frame order, with the internal delay hidden: push() returns gains for the
 * earliest frames not yet returned, flush() the rest, so the total equals the frames pushed.
 */
export class LimiterGain {
  private readonly W: number;
  private readonly alpha: number;
  private readonly phases = truePeakPhases();
  private readonly gain = interpolationGain(this.phases);
  private readonly hist = [new Float64Array(TRUE_PEAK_TAPS - 1), new Float64Array(TRUE_PEAK_TAPS - 1)];
  /** The interpolated points of a step lie between frames q − D and q − D + 1 (q: newest frame). */
  private readonly D = TRUE_PEAK_TAPS / 2;
  private readonly prevInterp = [0, 0];
  private steps = 0;
  // Sliding minimum of need[] over the look-ahead (monotonic deque).
  private readonly dqI: number[] = [];
  private readonly dqV: number[] = [];
  private dqHead = 0;
  private needCount = 0;
  private rel = 1;
  private readonly box: Float64Array;
  private boxPos = 0;
  private boxSum: number;
  private started = false;
  /** Smallest gain handed out so far. */
  minGain = 1;

  constructor(private readonly o: LimiterOptions) {
    if (!(o.ceiling > 0)) throw new RangeError('The limiter ceiling must be positive.');
    this.W = Math.max(1, Math.round((o.lookaheadSec ?? 0.002) * o.sampleRate));
    this.alpha = 1 - Math.exp(-1 / ((o.releaseSec ?? 0.08) * o.sampleRate));
    this.box = new Float64Array(this.W).fill(1);
    this.boxSum = this.W;
  }

  /** Frames between a frame going in and its gain coming out. */
  get latency(): number {
    return this.D + this.W - 1;
  }

  push(interleaved: Float32Array): Float32Array {
    return this.process(interleaved);
  }

  /** The gains of the last `latency` frames. */
  flush(): Float32Array {
    return this.process(new Float32Array(2 * this.latency));
  }

  private process(interleaved: Float32Array): Float32Array {
    const n = interleaved.length >> 1;
    const T = TRUE_PEAK_TAPS, D = this.D;
    const peaks = new Float64Array(n);
    const ext = new Float64Array(T - 1 + n);
    for (let c = 0; c < 2; c++) {
      channelWithHistory(ext, this.hist[c]!, interleaved, c, n);
      let prev = this.prevInterp[c]!;
      for (let i = 0; i < n; i++) {
        if (i % SKIP_BLOCK === 0) {
          // Exact shortcut: a block whose inputs cannot reach the ceiling needs no interpolation.
          const stop = Math.min(n, i + SKIP_BLOCK);
          if (absMax(ext, i, stop + T - 1) * this.gain <= this.o.ceiling) {
            for (let k = i; k < stop; k++) {
              const own = Math.abs(ext[k + D - 1]!);
              if (own > peaks[k]!) peaks[k] = own;
            }
            prev = 0;
            i = stop - 1;
            continue;
          }
        }
        const interp = interpolatedPeak(ext, i, this.phases);
        const own = Math.abs(ext[i + D - 1]!);
        peaks[i] = Math.max(peaks[i]!, own, interp, prev);
        prev = interp;
      }
      this.prevInterp[c] = prev;
      this.hist[c]!.set(ext.subarray(n, n + T - 1));
    }
    const out = new Float32Array(n);
    let o = 0;
    for (let i = 0; i < n; i++) {
      if (this.steps++ < D) continue; // the window has not reached frame 0 yet
      this.pushNeed(peaks[i]! > this.o.ceiling ? this.o.ceiling / peaks[i]! : 1);
      if (this.needCount < this.W) continue;
      const j = this.needCount - this.W;
      while (this.dqI[this.dqHead]! < j) this.dqHead++;
      const hold = this.dqV[this.dqHead]!;
      this.rel = Math.min(hold, this.rel + (1 - this.rel) * this.alpha);
      if (!this.started) {
        // Before frame 0 the gain is what frame 0 needs, so the first frames are covered too.
        this.box.fill(this.rel);
        this.boxSum = this.rel * this.W;
        this.started = true;
      }
      this.boxSum += this.rel - this.box[this.boxPos]!;
      this.box[this.boxPos] = this.rel;
      this.boxPos = (this.boxPos + 1) % this.W;
      const g = Math.min(1, this.boxSum / this.W);
      if (g < this.minGain) this.minGain = g;
      out[o++] = g;
    }
    if (this.dqHead > 4096) {
      this.dqI.splice(0, this.dqHead);
      this.dqV.splice(0, this.dqHead);
      this.dqHead = 0;
    }
    return out.subarray(0, o);
  }

  private pushNeed(v: number): void {
    const idx = this.needCount++;
    while (this.dqV.length > this.dqHead && this.dqV[this.dqV.length - 1]! >= v) {
      this.dqV.pop();
      this.dqI.pop();
    }
    this.dqV.push(v);
    this.dqI.push(idx);
  }
}
