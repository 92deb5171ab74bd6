import { applyMel, fftPlan, hannPeriodic, powerSpectrum, slaneyMelFilterbank } from '../audio/index.ts';
import { FEATURE_HOP, MEL_BANDS, N_FFT } from './beat-features.ts';
import { SEAM_LEAD_SEC, SEAM_TRAIL_SEC } from './render-remix.ts';

/** fluxAround reads frames k−3 … k+2 around the seam's frame k. */
const FRAMES_BEFORE = 3;
const FRAMES = 6;
/** librosa's power_to_db: amin, and the floor below the loudest bin. */
const AMIN = 1e-10;
const TOP_DB = 80;

/**
 * The spectral flux a seam will measure in the rendered remix (fluxAround on its mel dB
 * spectrogram), predicted from the track alone: the few STFT frames around the seam are built
 * from the two source excerpts and the render's crossfade, on the output's own frame grid. So a
 * seam that would come out abrupt is found without rendering and measuring the whole remix.
 * Nudged segments are taken as recorded (≤ 6 % changes the audio around a beat very little);
 * the rendered remix is still measured before it is accepted.
 */
export class SeamFluxPreview {
  private readonly mel;
  private readonly window = hannPeriodic(N_FFT);
  private readonly plan = fftPlan(N_FFT);
  private readonly frame = new Float64Array(N_FFT);
  private readonly scratch = new Float64Array(2 * N_FFT);
  private readonly power = new Float64Array(N_FFT / 2 + 1);
  private readonly melDb = new Float32Array(FRAMES * MEL_BANDS);
  private readonly lead: number;
  private readonly trail: number;
  private readonly floorDb: number;

  /**
   * @param mono the track's mono mix (the mean of its channels, as the measure mixes the remix)
   * @param maxMelDb the loudest mel bin of the track, in dB: the spectrogram's floor lies 80 dB under it
   */
  constructor(private readonly mono: Float32Array, sampleRate: number, maxMelDb: number) {
    this.mel = slaneyMelFilterbank(sampleRate, N_FFT);
    this.lead = Math.round(SEAM_LEAD_SEC * sampleRate);
    this.trail = Math.round(SEAM_TRAIL_SEC * sampleRate);
    this.floorDb = Math.fround(maxMelDb - TOP_DB);
  }

  /**
   * Flux of the seam that leaves the track at sample `from` and resumes at sample `to`, placed at
   * output sample `out` (its position on the output's frame grid matters).
   */
  flux(from: number, to: number, out: number): number {
    const k = Math.round(out / FEATURE_HOP);
    const x = this.mono, n = x.length, len = this.lead + this.trail, half = N_FFT / 2;
    const w = this.window, f = this.frame;
    for (let m = 0; m < FRAMES; m++) {
      // Window start relative to the seam, in output samples.
      const r0 = (k - FRAMES_BEFORE + m) * FEATURE_HOP - half - out;
      for (let i = 0; i < N_FFT; i++) {
        const r = r0 + i;
        let v: number;
        if (r < -this.lead) v = from + r >= 0 && from + r < n ? x[from + r]! : 0;
        else if (r >= this.trail) v = to + r < n ? x[to + r]! : 0;
        else {
          // The render's equal-power crossfade, sample for sample.
          const u = (r + this.lead + 0.5) / len;
          const a = from + r >= 0 && from + r < n ? x[from + r]! : 0;
          const b = to + r >= 0 && to + r < n ? x[to + r]! : 0;
          v = Math.cos((Math.PI / 2) * u) * a + Math.sin((Math.PI / 2) * u) * b;
        }
        f[i] = w[i]! * v;
      }
      powerSpectrum(this.plan, f, this.scratch, this.power);
      const row = this.melDb.subarray(m * MEL_BANDS, (m + 1) * MEL_BANDS);
      applyMel(this.mel, this.power, row);
      for (let b = 0; b < MEL_BANDS; b++) row[b] = Math.max(this.floorDb, 10 * Math.log10(Math.max(AMIN, row[b]!)));
    }
    let best = 0;
    for (let m = 1; m < FRAMES; m++) {
      let s = 0;
      for (let b = 0; b < MEL_BANDS; b++) s += Math.max(0, this.melDb[m * MEL_BANDS + b]! - this.melDb[(m - 1) * MEL_BANDS + b]!);
      best = Math.max(best, s / MEL_BANDS);
    }
    return best;
  }
}
