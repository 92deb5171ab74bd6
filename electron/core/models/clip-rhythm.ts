import type { ClipFeatures } from './clip-features.ts';
import { predictOdf } from './diffv2m-models.ts';
import type { ModelPack } from './model-pack.ts';

/** The per-second visual cues the rhythm predictor takes besides CLIP features. */
export interface RhythmCues {
  /** 1 where a scene starts in that second (the analysis' sceneVector). */
  sceneCut: ArrayLike<number>;
  /** The strongest visual beat of each second (the analysis' visualBeatVector). */
  pseudoBeat: ArrayLike<number>;
  /** 2 at inference (the released inference sets use class 2). */
  classLabel?: number;
}

/**
 * The rhythm predictor over a whole clip: consecutive chunks of the pack's conditioning length
 * (zero-padded at the end, as the model was trained on padded clips), all in one batch.
 * Returns the raw z-scored odf_lr, one value per second.
 */
export async function predictClipRhythm(pack: ModelPack, f: ClipFeatures, cues: RhythmCues, signal?: AbortSignal): Promise<Float32Array> {
  const S = pack.manifest.conditioning.max_seconds;
  const d = f.dim;
  const chunks = Math.ceil(f.seconds / S);
  const clip = new Float32Array(chunks * S * d);
  clip.set(f.data.subarray(0, f.seconds * d));
  const scene = new Array<number>(chunks * S).fill(0);
  const beat = new Float32Array(chunks * S);
  for (let s = 0; s < f.seconds; s++) {
    scene[s] = (cues.sceneCut[s] ?? 0) > 0 ? 1 : 0;
    beat[s] = cues.pseudoBeat[s] ?? 0;
  }
  const labels = new Array<number>(chunks).fill(cues.classLabel ?? 2);
  const odf = await predictOdf(pack, { batch: chunks, seconds: S, clipFeatures: clip, classLabel: labels, sceneCut: scene, pseudoBeat: beat }, signal);
  return odf.slice(0, f.seconds);
}

/** Min–max to 0..1 (the plan's ODF scale); a flat curve becomes all zeros. */
export function toUnitRange(raw: ArrayLike<number>): number[] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    lo = Math.min(lo, raw[i]!);
    hi = Math.max(hi, raw[i]!);
  }
  const span = hi - lo;
  return Array.from(raw, (v) => (span > 1e-12 ? (v - lo) / span : 0));
}

/**
 * The plan's 0..1 ODF (possibly edited on the timeline) back on the predictor's scale, using the
 * predictor's own range for this clip: an unedited neural plan gives back the prediction.
 */
export function planOdfToModelScale(planOdf: ArrayLike<number>, raw: ArrayLike<number>): Float32Array {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    lo = Math.min(lo, raw[i]!);
    hi = Math.max(hi, raw[i]!);
  }
  if (!Number.isFinite(lo)) lo = hi = 0;
  const out = new Float32Array(planOdf.length);
  for (let i = 0; i < out.length; i++) out[i] = lo + planOdf[i]! * (hi - lo);
  return out;
}
