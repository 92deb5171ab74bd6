import { vddimSchedule } from './schedule.ts';
import { cfgCombine, ddimUpdate, predictX0Eps } from './vddim-step.ts';

/**
 * One denoiser call on a batch: x is [batch, ...latent], t the same timestep for every item,
 * uncond[b] = 1 nulls item b's cross-attention conditions (CFG's unconditional half). Returns v.
 */
export type Denoiser = (x: Float32Array, t: number, uncond: Float32Array, batch: number) => Promise<Float32Array>;

export interface SamplerProgress {
  stage: 'sampling';
  fraction: number;
  step: number;
  steps: number;
}

export interface VddimOptions {
  /** [batch, ...latent] starting noise (not modified). */
  noise: Float32Array;
  batch: number;
  steps?: number;
  /** 1 disables guidance (one pass per step); the default 3.0 is Diff-V2M's. */
  cfgScale?: number;
  sigmaMax?: number;
  signal?: AbortSignal;
  onProgress?: (p: SamplerProgress) => void;
  /** Called with x before each step (the reference's x_per_step record). */
  onStepInput?: (step: number, x: Float32Array) => void;
}

export const DEFAULT_STEPS = 250;
export const DEFAULT_CFG_SCALE = 3;

/**
 * stable-audio-tools `sample(…, eta=0)` (v-DDIM) with classifier-free guidance on a doubled
 * batch [cond; uncond]. Returns x0̂ of the last step. Cancels between steps.
 */
export async function sampleVddim(denoise: Denoiser, o: VddimOptions): Promise<Float32Array> {
  const steps = o.steps ?? DEFAULT_STEPS;
  const cfg = o.cfgScale ?? DEFAULT_CFG_SCALE;
  if (!Number.isFinite(cfg)) throw new RangeError(`The CFG scale must be a finite number, got ${cfg}.`);
  const { batch } = o;
  if (!Number.isInteger(batch) || batch < 1 || o.noise.length % batch !== 0) throw new RangeError(`The noise length ${o.noise.length} is not a whole number of items for batch ${batch}.`);
  const sched = vddimSchedule(steps, o.sigmaMax ?? 1);
  const n = o.noise.length;
  const guided = cfg !== 1;
  const x = Float32Array.from(o.noise);
  const pred = new Float32Array(n), eps = new Float32Array(n);
  const xIn = guided ? new Float32Array(2 * n) : x;
  const uncond = new Float32Array(guided ? 2 * batch : batch);
  if (guided) uncond.fill(1, batch);
  const v = new Float32Array(n);
  o.signal?.throwIfAborted();
  for (let i = 0; i < steps; i++) {
    o.onStepInput?.(i, x);
    if (guided) {
      xIn.set(x, 0);
      xIn.set(x, n);
    }
    const out = await denoise(xIn, sched.t[i]!, uncond, guided ? 2 * batch : batch);
    if (out.length !== xIn.length) throw new Error(`The denoiser returned ${out.length} values for an input of ${xIn.length}.`);
    if (guided) cfgCombine(out, cfg, v);
    else v.set(out);
    predictX0Eps(x, v, sched.alpha[i]!, sched.sigma[i]!, pred, eps);
    if (i < steps - 1) ddimUpdate(pred, eps, sched.alpha[i + 1]!, sched.sigma[i + 1]!, x);
    o.onProgress?.({ stage: 'sampling', fraction: (i + 1) / steps, step: i + 1, steps });
    o.signal?.throwIfAborted();
  }
  return pred;
}
