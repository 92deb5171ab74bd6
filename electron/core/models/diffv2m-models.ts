import type { Denoiser } from '../diffusion/sampler.ts';
import type { ModelPack } from './model-pack.ts';
import { int64, tensor, type HostTensor } from './tensor.ts';

/** Per-item conditioning of one DiT call, rows = the pack's conditioning seconds. */
export interface DitConditioning {
  batch: number;
  seconds: number;
  /** [batch, seconds, clipDim] */
  clipFeatures: Float32Array;
  /** [batch, seconds]: the rhythm predictor's odf_lr (or an edited curve). */
  rhythm: Float32Array;
  /** [batch, seconds]: 1 for real seconds, 0 for padding. */
  featureMask: Float32Array;
  /** [batch] */
  secondsStart: Float32Array;
  secondsTotal: Float32Array;
  classLabel: ArrayLike<number>;
  /** [batch, seconds, colourDim]: only for packs whose DiT takes colour (manifest input `color`). */
  colour?: Float32Array;
}

/** The colour-histogram width the pack's DiT takes, or null when its graph has no colour input. */
export function ditColourDim(pack: ModelPack): number | null {
  const spec = pack.manifest.models.dit.inputs.find((i) => i.name === 'color');
  if (!spec) return null;
  const d = spec.shape[2];
  if (typeof d !== 'number') throw new Error(`The pack's dit.onnx declares colour input shape [${spec.shape.join(', ')}] without a fixed width.`);
  return d;
}

/** CLIP image tower: [n, 3, S, S] normalised pixels → [n, dim] embeddings. */
export async function clipImageEmbeds(pack: ModelPack, pixels: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> {
  const size = pack.manifest.conditioning.clip_image_size;
  const out = await pack.run('clip_image', { pixel_values: tensor(pixels, [n, 3, size, size]) }, signal);
  return out.image_embeds!.data;
}

/** The rhythm predictor: per-second CLIP features, scene cuts and visual beats → odf_lr [batch, seconds]. */
export async function predictOdf(
  pack: ModelPack,
  i: { batch: number; seconds: number; clipFeatures: Float32Array; classLabel: ArrayLike<number>; sceneCut: ArrayLike<number>; pseudoBeat: Float32Array },
  signal?: AbortSignal,
): Promise<Float32Array> {
  const d = pack.manifest.conditioning.clip_dim;
  const out = await pack.run('rhythm_predictor', {
    clip_features: tensor(i.clipFeatures, [i.batch, i.seconds, d]),
    class_label: tensor(int64(i.classLabel), [i.batch]),
    scene_cut: tensor(int64(i.sceneCut), [i.batch, i.seconds]),
    pseudo_beat: tensor(i.pseudoBeat, [i.batch, i.seconds]),
  }, signal);
  return out.odf_lr!.data;
}

function repeat<T extends Float32Array | BigInt64Array>(a: T, times: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length * times);
  for (let k = 0; k < times; k++) out.set(a as never, k * a.length);
  return out;
}

/**
 * The sampler's denoiser over dit.onnx. When the sampler passes a doubled batch (CFG), the
 * conditioning is repeated for the second half; `uncond` nulls that half's contexts inside the graph.
 */
export function ditDenoiser(pack: ModelPack, c: DitConditioning, signal?: AbortSignal): Denoiser {
  const ch = pack.manifest.audio.latent_channels;
  const d = pack.manifest.conditioning.clip_dim;
  const colourDim = ditColourDim(pack);
  if (colourDim !== null && (!c.colour || c.colour.length !== c.batch * c.seconds * colourDim)) {
    throw new Error(`This pack's denoiser takes ${colourDim}-d colour histograms per second; analyse the video with colour histograms.`);
  }
  const base = {
    clip: c.clipFeatures, rhythm: c.rhythm, mask: c.featureMask, ss: c.secondsStart, st: c.secondsTotal, cls: int64(c.classLabel),
    colour: colourDim !== null ? c.colour! : new Float32Array(0),
  };
  const cache = new Map<number, typeof base>();
  const inputs = (batch: number) => {
    const k = batch / c.batch;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`The denoiser got batch ${batch} for conditioning of batch ${c.batch}.`);
    let v = cache.get(k);
    if (!v) {
      v = k === 1 ? base : {
        clip: repeat(base.clip, k), rhythm: repeat(base.rhythm, k), mask: repeat(base.mask, k),
        ss: repeat(base.ss, k), st: repeat(base.st, k), cls: repeat(base.cls, k), colour: repeat(base.colour, k),
      };
      cache.set(k, v);
    }
    return v;
  };
  // One preallocated output per batch size: the sampler consumes v before the next call.
  const outputs = new Map<number, Float32Array>();
  return async (x, t, uncond, batch) => {
    const v = inputs(batch);
    const length = x.length / (batch * ch);
    let buf = outputs.get(x.length);
    if (!buf) outputs.set(x.length, (buf = new Float32Array(x.length)));
    const colour: Record<string, HostTensor> = colourDim === null ? {} : {
      color: tensor(v.colour, [batch, c.seconds, colourDim]),
      color_mask: tensor(v.mask, [batch, c.seconds]),
    };
    const out = await pack.run('dit', {
      ...colour,
      x: tensor(x, [batch, ch, length]),
      t: tensor(new Float32Array(batch).fill(t), [batch]),
      clip_features: tensor(v.clip, [batch, c.seconds, d]),
      rhythm: tensor(v.rhythm, [batch, c.seconds]),
      feature_mask: tensor(v.mask, [batch, c.seconds]),
      seconds_start: tensor(v.ss, [batch]),
      seconds_total: tensor(v.st, [batch]),
      class_label: tensor(v.cls, [batch]),
      uncond: tensor(uncond, [batch]),
    }, signal, { v: tensor(buf, [batch, ch, length]) });
    return out.v!.data;
  };
}

/** VAE decoder: latents [batch, channels, length] → audio [batch, audioChannels, samples]. */
export async function decodeLatents(pack: ModelPack, latents: Float32Array, batch: number, signal?: AbortSignal): Promise<{ audio: Float32Array; samples: number }> {
  const ch = pack.manifest.audio.latent_channels;
  const out = await pack.run('vae_decoder', { latents: tensor(latents, [batch, ch, latents.length / (batch * ch)]) }, signal);
  const a = out.audio!;
  return { audio: a.data, samples: a.dims[2]! };
}
