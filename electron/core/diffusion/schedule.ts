/**
 * The v-objective noise schedule of stable-audio-tools (SIGNALS.md §5.1–5.2):
 * t_i = float32(sigmaMax·(1 − i/steps)), i = 0..steps−1 (never 0), α = cos(πt/2), σ = sin(πt/2).
 * Values are rounded to float32 like the PyTorch reference, so α_0 is the float32 quirk ≈ −4.37e−8.
 */
export interface NoiseSchedule {
  steps: number;
  t: Float32Array;
  alpha: Float32Array;
  sigma: Float32Array;
}

const HALF_PI_F32 = Math.fround(Math.PI / 2);

export function alphaSigma(t: number): { alpha: number; sigma: number } {
  const a = Math.fround(Math.fround(t) * HALF_PI_F32);
  return { alpha: Math.fround(Math.cos(a)), sigma: Math.fround(Math.sin(a)) };
}

export function vddimSchedule(steps: number, sigmaMax = 1): NoiseSchedule {
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) throw new RangeError(`The number of sampler steps must be a whole number from 1 to 10000, got ${steps}.`);
  if (!(sigmaMax > 0 && sigmaMax <= 1)) throw new RangeError(`sigmaMax must be in (0, 1] for v-DDIM, got ${sigmaMax}.`);
  const t = new Float32Array(steps), alpha = new Float32Array(steps), sigma = new Float32Array(steps);
  for (let i = 0; i < steps; i++) {
    t[i] = Math.fround(sigmaMax * (1 - i / steps));
    const as = alphaSigma(t[i]!);
    alpha[i] = as.alpha;
    sigma[i] = as.sigma;
  }
  return { steps, t, alpha, sigma };
}
