import { applyMel, fftPlan, hannPeriodic, powerSpectrumPair, slaneyMelFilterbank } from '../audio/index.ts';
import { FEATURE_HOP, MEL_BANDS, N_FFT } from './beat-features.ts';
import { seamCrossfade } from './render-remix.ts';

/** fluxAround reads frames k−3 … k+2 around the seam's frame k. */
const FRAMES_BEFORE = 3;
const FRAMES = 6;
/** Complex bins of one frame's spectrum (0 … N_FFT/2, re/im interleaved). */
const SPECTRUM = N_FFT + 2;
/** Memory for the incoming halves of candidate seams (about 49 kB a beat); past it the oldest go. */
const INCOMING_CACHE_BYTES = 48 * 2 ** 20;
/** librosa's power_to_db: amin, and the floor below the loudest bin. */
const AMIN = 1e-10;
const TOP_DB = 80;

/**
 * The spectral flux at a remix's seams (fluxAround on the mel dB spectrogram, the measure the
 * track's own beat flux uses), from the six STFT frames around a seam instead of a whole
 * spectrogram, floored 80 dB under the track's loudest bin:
 * - `rendered`: measured in the rendered remix;
 * - `preview`: predicted from the track alone, before rendering: the frames are built from the
 *   two source excerpts and the render's crossfade, on the output's own frame grid. Exact for
 *   segments as recorded; a nudged one is taken as recorded (≤ 6 % changes the audio around a
 *   beat little, but not nothing, so the rendered remix is still measured);
 * - `candidate`: many seams previewed at one frame phase, before the search knows where a seam
 *   will fall. The STFT is linear, so each frame's spectrum is the outgoing half's plus the
 *   incoming half's, and each half is transformed once per beat instead of once per pair.
 */
export class SeamFlux {
  private readonly mel;
  private readonly window = hannPeriodic(N_FFT);
  private readonly plan = fftPlan(N_FFT);
  private readonly frame = new Float64Array(N_FFT);
  private readonly frame2 = new Float64Array(N_FFT);
  private readonly packed = new Float64Array(2 * N_FFT);
  private readonly scratch = new Float64Array(2 * N_FFT);
  private readonly power = new Float64Array(N_FFT / 2 + 1);
  private readonly power2 = new Float64Array(N_FFT / 2 + 1);
  private readonly melDb = new Float32Array(FRAMES * MEL_BANDS);
  /** The two sources under the six frames. */
  private readonly outgoing = new Float32Array((FRAMES - 1) * FEATURE_HOP + N_FFT);
  private readonly incoming = new Float32Array((FRAMES - 1) * FEATURE_HOP + N_FFT);
  private readonly lead: number;
  private readonly trail: number;
  /** The render's equal-power crossfade gains, sample by sample from SEAM_LEAD_SEC before the seam. */
  private readonly gOut: Float64Array;
  private readonly gIn: Float64Array;
  private readonly floorDb: number;
  private readonly real = new Float64Array(2 * N_FFT);
  private lastOutgoing: { from: number; spectra: Float32Array } | null = null;
  private readonly incomingSpectra = new Map<number, Float32Array>();

  /**
   * @param mono the track's mono mix (the mean of its channels, as the measure mixes the remix)
   * @param maxMelDb the loudest mel bin of the track, in dB: the spectrogram's floor lies 80 dB under it
   */
  constructor(private readonly mono: Float32Array, sampleRate: number, maxMelDb: number) {
    this.mel = slaneyMelFilterbank(sampleRate, N_FFT);
    ({ lead: this.lead, trail: this.trail, gOut: this.gOut, gIn: this.gIn } = seamCrossfade(sampleRate));
    this.floorDb = Math.fround(maxMelDb - TOP_DB);
  }

  /**
   * Flux of the seam that leaves the track at sample `from` and resumes at sample `to`, placed at
   * output sample `out` (its position on the output's frame grid matters).
   */
  preview(from: number, to: number, out: number): number {
    const k = Math.round(out / FEATURE_HOP);
    // Start of the first frame's window relative to the seam, in output samples.
    const rStart = (k - FRAMES_BEFORE) * FEATURE_HOP - N_FFT / 2 - out;
    const a = this.excerpt(this.mono, this.outgoing, from + rStart), b = this.excerpt(this.mono, this.incoming, to + rStart);
    return this.riseOver((f, m) => this.windowed(f, m, rStart, a, b));
  }

  /**
   * The flux the remix measures at its output frame `at` (`stereo`: the rendered remix,
   * interleaved; measured on its mono mix): fluxAround at the seam's STFT frame, from the six
   * frames it reads instead of the whole spectrogram, floored under the track's loudest bin as
   * the track's own beat flux is.
   */
  rendered(stereo: Float32Array, at: number): number {
    const k = Math.round(at / FEATURE_HOP);
    const start = (k - FRAMES_BEFORE) * FEATURE_HOP - N_FFT / 2;
    const a = this.outgoing, frames = stereo.length / 2;
    for (let i = 0; i < a.length; i++) {
      const t = start + i;
      a[i] = t >= 0 && t < frames ? 0.5 * (stereo[2 * t]! + stereo[2 * t + 1]!) : 0;
    }
    const w = this.window;
    return this.riseOver((f, m) => {
      for (let i = 0, o = m * FEATURE_HOP; i < N_FFT; i++) f[i] = w[i]! * a[o + i]!;
    });
  }

  /**
   * `preview(from, to, out)` for a seam at frame phase 0 (out a multiple of the hop), from the two
   * halves' spectra: callers that go through many candidates of one `from` in a row reuse it.
   */
  candidate(from: number, to: number): number {
    if (this.lastOutgoing?.from !== from) this.lastOutgoing = { from, spectra: this.halfSpectra(from, 'outgoing') };
    const x = this.lastOutgoing.spectra;
    let y = this.incomingSpectra.get(to);
    if (!y) {
      y = this.halfSpectra(to, 'incoming');
      if (this.incomingSpectra.size * y.byteLength >= INCOMING_CACHE_BYTES) this.incomingSpectra.delete(this.incomingSpectra.keys().next().value!);
      this.incomingSpectra.set(to, y);
    }
    const power = this.power, bins = N_FFT / 2 + 1;
    for (let m = 0; m < FRAMES; m++) {
      for (let k = 0, i = m * SPECTRUM; k < bins; k++, i += 2) {
        const re = x[i]! + y[i]!, im = x[i + 1]! + y[i + 1]!;
        power[k] = re * re + im * im;
      }
      this.toMelDb(power, m);
    }
    return this.largestRise();
  }

  /** The six frames as `windowed` fills each (frame m into f), to mel dB, and their largest rise: two frames per complex FFT. */
  private riseOver(windowed: (f: Float64Array, m: number) => void): number {
    for (let m = 0; m < FRAMES; m += 2) {
      windowed(this.frame, m);
      windowed(this.frame2, m + 1);
      powerSpectrumPair(this.plan, this.frame, this.frame2, this.packed, this.scratch, this.power, this.power2);
      this.toMelDb(this.power, m);
      this.toMelDb(this.power2, m + 1);
    }
    return this.largestRise();
  }

  /** The six frames' spectra of one half of a seam at phase 0: the source leaving at `at` (faded out), or entering there (faded in). */
  private halfSpectra(at: number, half: 'outgoing' | 'incoming'): Float32Array {
    const rStart = -FRAMES_BEFORE * FEATURE_HOP - N_FFT / 2;
    const src = this.excerpt(this.mono, this.outgoing, at + rStart), none = this.incoming.fill(0);
    const [a, b] = half === 'outgoing' ? [src, none] : [none, src];
    const out = new Float32Array(FRAMES * SPECTRUM);
    for (let m = 0; m < FRAMES; m++) {
      this.windowed(this.frame, m, rStart, a, b);
      this.plan.realTransform(this.real, this.frame);
      out.set(this.real.subarray(0, SPECTRUM), m * SPECTRUM);
    }
    return out;
  }

  /** Frame m, windowed: the outgoing source up to the crossfade, the crossfade, then the incoming source. */
  private windowed(f: Float64Array, m: number, rStart: number, a: Float32Array, b: Float32Array): void {
    const w = this.window, gOut = this.gOut, gIn = this.gIn, lead = this.lead;
    const o = m * FEATURE_HOP, r0 = rStart + o;
    const i1 = Math.max(0, Math.min(N_FFT, -lead - r0)), i2 = Math.max(0, Math.min(N_FFT, this.trail - r0));
    for (let i = 0; i < i1; i++) f[i] = w[i]! * a[o + i]!;
    for (let i = i1; i < i2; i++) f[i] = w[i]! * (gOut[r0 + i + lead]! * a[o + i]! + gIn[r0 + i + lead]! * b[o + i]!);
    for (let i = i2; i < N_FFT; i++) f[i] = w[i]! * b[o + i]!;
  }

  /** Row m of the mel dB frames, floored as power_to_db floors the whole spectrogram. */
  private toMelDb(power: Float64Array, m: number): void {
    const row = this.melDb.subarray(m * MEL_BANDS, (m + 1) * MEL_BANDS);
    applyMel(this.mel, power, row);
    for (let b = 0; b < MEL_BANDS; b++) row[b] = Math.max(this.floorDb, 10 * Math.log10(Math.max(AMIN, row[b]!)));
  }

  /** fluxAround over the six frames: the largest mean positive rise from one frame to the next. */
  private largestRise(): number {
    const d = this.melDb;
    let best = 0;
    for (let m = 1; m < FRAMES; m++) {
      let s = 0;
      for (let b = 0; b < MEL_BANDS; b++) s += Math.max(0, d[m * MEL_BANDS + b]! - d[(m - 1) * MEL_BANDS + b]!);
      best = Math.max(best, s / MEL_BANDS);
    }
    return best;
  }

  /** `x` from sample `start` into `buf`, zero outside it (a seam near the very start or end). */
  private excerpt(x: Float32Array, buf: Float32Array, start: number): Float32Array {
    const lo = Math.max(0, -start), hi = Math.min(buf.length, x.length - start);
    if (lo > 0 || hi < buf.length) buf.fill(0);
    if (hi > lo) buf.set(x.subarray(start + lo, start + hi), lo);
    return buf;
  }
}
