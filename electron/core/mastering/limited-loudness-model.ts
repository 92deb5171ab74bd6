import { gatedLoudness } from './loudness-meter.ts';

export interface LimitedLoudnessInput {
  sampleRate: number;
  /** Frames per bin (a divisor of the 100 ms loudness step). */
  binFrames: number;
  /** Per bin: the largest limiter peak measure at unit gain. */
  peaks: Float32Array;
  /** Per bin: K-weighted energy, L² + R² summed over its frames. */
  energies: Float32Array;
  /** The limiter's look-ahead and release, as LimiterGain defaults them. */
  lookaheadSec?: number;
  releaseSec?: number;
}

/**
 * Integrated loudness of the limited output predicted from the raw pass, so the mastering can aim
 * its gain before writing anything. The limiter (LimiterGain) is replayed at bin resolution —
 * need = min(1, threshold / (gain·peak)), look-ahead minimum, exponential release, box smoothing —
 * and each bin's K-weighted energy is scaled by (gain × its limiter gain)², then gated as BS.1770
 * does. It ignores what the limiter's gain changes inside a bin do to the K-weighting, so it is
 * close, not exact: the mastering measures the real output and corrects by the miss.
 */
export class LimitedLoudnessModel {
  private readonly bins: number;
  private readonly perStep: number;
  private readonly stepFrames: number;
  private readonly hold: number;
  private readonly smooth: number;
  private readonly releaseAlpha: number;
  private readonly steps: Float64Array;
  private readonly box: Float64Array;
  private readonly dqI: Int32Array;
  private readonly dqV: Float64Array;

  constructor(private readonly input: LimitedLoudnessInput) {
    const { sampleRate: sr, binFrames: B } = input;
    this.stepFrames = Math.round(sr / 10);
    if (this.stepFrames % B) throw new RangeError(`A bin of ${B} frames does not divide the ${this.stepFrames}-frame step.`);
    this.perStep = this.stepFrames / B;
    this.bins = Math.min(input.peaks.length, input.energies.length);
    const W = Math.max(1, Math.round((input.lookaheadSec ?? 0.002) * sr));
    // A frame's look-ahead reaches W − 1 frames on; from anywhere in its bin, this many bins on.
    this.hold = Math.floor((B + W - 2) / B);
    this.smooth = Math.max(1, Math.round(W / B));
    const alpha = 1 - Math.exp(-1 / ((input.releaseSec ?? 0.08) * sr));
    this.releaseAlpha = 1 - (1 - alpha) ** B;
    this.steps = new Float64Array(Math.floor(this.bins / this.perStep));
    this.box = new Float64Array(this.smooth);
    const cap = 2 ** Math.ceil(Math.log2(this.hold + 2));
    this.dqI = new Int32Array(cap);
    this.dqV = new Float64Array(cap);
  }

  /** Predicted integrated loudness (LUFS) at `gainDb` before a limiter with threshold `limitDb` (dBTP). */
  loudness(gainDb: number, limitDb: number): number {
    const g = 10 ** (gainDb / 20);
    this.limitedSteps(10 ** (limitDb / 20) / g); // the threshold on the unit-gain peaks
    const { steps } = this;
    const g2 = g * g;
    const blocks = new Float64Array(Math.max(0, steps.length - 3));
    for (let i = 0; i < blocks.length; i++) blocks[i] = (g2 * (steps[i]! + steps[i + 1]! + steps[i + 2]! + steps[i + 3]!)) / 4;
    return gatedLoudness(blocks);
  }

  /**
   * The gain (dB, ≤ maxGainDb) whose predicted loudness is `targetLufs`, from `guessDb`: secant
   * steps (the slope is at most 1 and falls as the limiter works harder), then regula falsi
   * (Illinois) once the target is bracketed. Returns maxGainDb when even that falls short.
   */
  solve(targetLufs: number, limitDb: number, maxGainDb: number, guessDb: number, toleranceLu = 0.005): number {
    const f = (x: number) => this.loudness(x, limitDb) - targetLufs;
    let x0 = Math.min(guessDb, maxGainDb), f0 = f(x0);
    if (!Number.isFinite(f0)) return x0;
    let x1 = x0, f1 = f0;
    // Secant steps until the target is reached or bracketed.
    for (let i = 0; i < 30 && Math.abs(f1) > toleranceLu && (i === 0 || Math.sign(f1) === Math.sign(f0)); i++) {
      if (f1 < 0 && x1 >= maxGainDb) return maxGainDb;
      const slope = i === 0 ? 1 : Math.max(0.1, Math.min(1.5, (f1 - f0) / (x1 - x0)));
      if (i > 0) [x0, f0] = [x1, f1];
      x1 = Math.min(maxGainDb, x0 - f0 / slope - Math.sign(f0) * 0.01); // a hair past: bracket sooner
      f1 = f(x1);
    }
    if (Math.abs(f1) <= toleranceLu || Math.sign(f1) === Math.sign(f0)) return x1;
    // Bracketed between x0 and x1: regula falsi, halving the stale end's value (Illinois).
    let side = 0;
    for (let i = 0; i < 40; i++) {
      const x = x1 - (f1 * (x1 - x0)) / (f1 - f0);
      const fx = f(x);
      if (Math.abs(fx) <= toleranceLu || Math.abs(x1 - x0) < 1e-6) return x;
      if (Math.sign(fx) === Math.sign(f1)) {
        [x1, f1] = [x, fx];
        if (side === 1) f0 /= 2;
        side = 1;
      } else {
        [x0, f0] = [x, fx];
        if (side === -1) f1 /= 2;
        side = -1;
      }
    }
    return (x0 + x1) / 2;
  }

  /**
   * LimiterGain's gain computer replayed per bin on the unit-gain peaks against threshold c;
   * steps[] gets each 100 ms step's mean square at unit gain with those bin gains applied.
   */
  private limitedSteps(c: number): void {
    const { bins, hold, smooth, releaseAlpha: a, box, dqI, dqV, steps, perStep, stepFrames } = this;
    const P = this.input.peaks, E = this.input.energies;
    const mask = dqI.length - 1;
    let rel = 1, boxSum = 0, pos = 0, acc = 0, inStep = 0, k = 0;
    let head = 0, tail = 0;
    // need[] of the bins in the look-ahead, as a monotonic deque (a ring of indices and values).
    for (let b = -hold; b < bins; b++) {
      const nb = b + hold;
      const v = nb < bins && P[nb]! > c ? c / P[nb]! : 1;
      while (tail > head && dqV[(tail - 1) & mask]! >= v) tail--;
      dqI[tail & mask] = nb;
      dqV[tail & mask] = v;
      tail++;
      if (b < 0) continue;
      while (dqI[head & mask]! < b) head++;
      const h = dqV[head & mask]!, r = rel + (1 - rel) * a;
      rel = h < r ? h : r;
      if (b === 0) {
        box.fill(rel);
        boxSum = rel * smooth;
      }
      boxSum += rel - box[pos]!;
      box[pos] = rel;
      if (++pos === smooth) pos = 0;
      const gain = boxSum < smooth ? boxSum / smooth : 1;
      acc += gain * gain * E[b]!;
      if (++inStep === perStep) {
        if (k < steps.length) steps[k++] = acc / stepFrames;
        acc = 0;
        inStep = 0;
      }
    }
  }
}
