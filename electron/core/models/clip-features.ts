import { samplingFrames, type MediaInfo } from '../media/index.ts';
import { clipPixels, clipSamplingSize, l2NormalizeRows } from './clip-preprocess.ts';
import { clipImageEmbeds } from './diffv2m-models.ts';
import type { ModelPack } from './model-pack.ts';

export interface ClipFeatures {
  /** Rows = seconds of the clip; second s covers [s, s+1). */
  seconds: number;
  dim: number;
  /** [seconds, dim] */
  data: Float32Array;
  /** Time of the frame each row came from (a second without a frame repeats the previous row). */
  frameTimes: Float64Array;
}

/**
 * Per-second CLIP image features of a video, preprocessed exactly as the pack's manifest says,
 * from the media layer's 1 fps sampling stream (first frame of each second).
 */
export async function clipFeatures(
  pack: ModelPack,
  video: string,
  o: { seconds: number; info?: MediaInfo; batch?: number; signal?: AbortSignal; onProgress?: (p: { stage: 'clip-features'; fraction: number }) => void },
): Promise<ClipFeatures> {
  const recipe = pack.manifest.feature_recipes.clip;
  const side = clipSamplingSize(recipe);
  const dim = recipe.dim;
  if (dim !== pack.manifest.conditioning.clip_dim) throw new Error(`The pack's CLIP recipe has dim ${dim} but conditioning.clip_dim is ${pack.manifest.conditioning.clip_dim}.`);
  const crop = recipe.center_crop;
  const per = 3 * crop * crop;
  const batchMax = o.batch ?? 16;
  const seconds = Math.max(1, o.seconds);
  const data = new Float32Array(seconds * dim);
  const frameTimes = new Float64Array(seconds).fill(NaN);
  let pending: { second: number; time: number }[] = [];
  let pixels = new Float32Array(batchMax * per);
  let pendingDone = 0;
  const flush = async () => {
    if (!pending.length) return;
    const emb = await clipImageEmbeds(pack, pixels.subarray(0, pending.length * per), pending.length, o.signal);
    if (recipe.l2_normalize) l2NormalizeRows(emb, dim);
    pending.forEach((p, k) => {
      data.set(emb.subarray(k * dim, (k + 1) * dim), p.second * dim);
      frameTimes[p.second] = p.time;
    });
    pending = [];
    pixels = new Float32Array(batchMax * per);
    o.onProgress?.({ stage: 'clip-features', fraction: Math.min(1, pendingDone / seconds) });
  };
  for await (const f of samplingFrames(video, { size: side, signal: o.signal, info: o.info })) {
    const second = Math.floor(f.ptsSec + 1e-6);
    if (second < 0 || second >= seconds || !Number.isNaN(frameTimes[second]!) || pending.some((p) => p.second === second)) continue;
    clipPixels(f.data, side, recipe, pixels.subarray(pending.length * per, (pending.length + 1) * per));
    pending.push({ second, time: f.ptsSec });
    pendingDone = second + 1;
    if (pending.length === batchMax) await flush();
  }
  await flush();
  // Seconds the stream had no frame for (VFR gaps, a short tail) reuse the nearest earlier row.
  let last = -1;
  for (let s = 0; s < seconds; s++) {
    if (!Number.isNaN(frameTimes[s]!)) last = s;
    else if (last >= 0) {
      data.copyWithin(s * dim, last * dim, (last + 1) * dim);
      frameTimes[s] = frameTimes[last]!;
    }
  }
  const first = frameTimes.findIndex((t) => !Number.isNaN(t));
  if (first < 0) throw new Error(`No frame could be sampled from ${video} for the CLIP features.`);
  for (let s = 0; s < first; s++) {
    data.copyWithin(s * dim, first * dim, (first + 1) * dim);
    frameTimes[s] = frameTimes[first]!;
  }
  o.onProgress?.({ stage: 'clip-features', fraction: 1 });
  return { seconds, dim, data, frameTimes };
}
