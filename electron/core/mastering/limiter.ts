import { FramePeaks } from './frame-peaks.ts';

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
  private readonly peakMeasure = new FramePeaks();
  private readonly D = this.peakMeasure.delay;
  private peaks = new Float64Array(0);
  private steps = 0;
  // Sliding minimum of need[] over the look-ahead: a monotonic deque in a ring (head, tail count up).
  private readonly dqI: Float64Array;
  private readonly dqV: Float64Array;
  private readonly dqMask: number;
  private dqHead = 0;
  private dqTail = 0;
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
    const cap = 2 ** Math.ceil(Math.log2(this.W + 2)); // the window's W entries and one stale
    this.dqI = new Float64Array(cap);
    this.dqV = new Float64Array(cap);
    this.dqMask = cap - 1;
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
    const D = this.D;
    if (this.peaks.length < n) this.peaks = new Float64Array(n);
    const peaks = this.peaks;
    this.peakMeasure.measure(interleaved, this.o.ceiling, peaks);
    const out = new Float32Array(n);
    // The state lives in locals while the loop runs: same arithmetic, far fewer field loads.
    const { W, alpha, dqI, dqV, dqMask, box } = this;
    const ceiling = this.o.ceiling;
    let { steps, dqHead, dqTail, needCount, rel, boxPos, boxSum, minGain } = this;
    let o = 0;
    for (let i = 0; i < n; i++) {
      if (steps++ < D) continue; // the window has not reached frame 0 yet
      const need = peaks[i]! > ceiling ? ceiling / peaks[i]! : 1;
      while (dqTail > dqHead && dqV[(dqTail - 1) & dqMask]! >= need) dqTail--;
      dqV[dqTail & dqMask] = need;
      dqI[dqTail & dqMask] = needCount++;
      dqTail++;
      if (needCount < W) continue;
      const j = needCount - W;
      while (dqI[dqHead & dqMask]! < j) dqHead++;
      const hold = dqV[dqHead & dqMask]!;
      rel = Math.min(hold, rel + (1 - rel) * alpha);
      if (!this.started) {
        // Before frame 0 the gain is what frame 0 needs, so the first frames are covered too.
        box.fill(rel);
        boxSum = rel * W;
        this.started = true;
      }
      boxSum += rel - box[boxPos]!;
      box[boxPos] = rel;
      if (++boxPos === W) boxPos = 0;
      const g = Math.min(1, boxSum / W);
      if (g < minGain) minGain = g;
      out[o++] = g;
    }
    Object.assign(this, { steps, dqHead, dqTail, needCount, rel, boxPos, boxSum, minGain });
    return out.subarray(0, o);
  }
}
