import { planFromAnalysis, type RhythmPlan, type RhythmPlanner } from '../rhythm/index.ts';
import type { VideoAnalysis } from '../video/index.ts';
import { clipFeatures, type ClipFeatures } from './clip-features.ts';
import { predictClipRhythm, toUnitRange } from './clip-rhythm.ts';
import type { ModelPack } from './model-pack.ts';

export interface NeuralPlan {
  plan: RhythmPlan;
  features: ClipFeatures;
  /** The predictor's raw (z-scored) odf_lr per second. */
  rawOdf: Float32Array;
}

/** The rhythm predictor's planner id, e.g. "diffv2m-rhythm:diffv2m-tiny" (what a plan's source records). */
export const neuralPlannerId = (pack: ModelPack): string => `diffv2m-rhythm:${pack.name}`;

/**
 * The ONNX rhythm predictor's plan: the base plan's accents, cuts and mood (the built-in planner's
 * unless given), with odfLR replaced by the model's prediction from CLIP features, scene cuts and
 * visual beats.
 */
export async function neuralPlan(pack: ModelPack, analysis: VideoAnalysis, o: { signal?: AbortSignal; onProgress?: (p: { stage: string; fraction: number }) => void; base?: RhythmPlan } = {}): Promise<NeuralPlan> {
  const base = o.base ?? planFromAnalysis(analysis);
  const seconds = base.odfLR.length;
  const features = await clipFeatures(pack, analysis.source.path, { seconds, signal: o.signal, onProgress: o.onProgress });
  const rawOdf = await predictClipRhythm(pack, features, { sceneCut: analysis.sceneVector, pseudoBeat: analysis.visualBeatVector }, o.signal);
  const plan: RhythmPlan = {
    ...base,
    odfLR: toUnitRange(rawOdf).map((v) => Math.round(v * 1e6) / 1e6),
    source: { planner: neuralPlannerId(pack), video: analysis.source.path },
  };
  return { plan, features, rawOdf };
}

/** The same interface as the built-in planner; `base` plans everything but the ODF. */
export function neuralPlanner(pack: ModelPack, base?: RhythmPlanner): RhythmPlanner {
  return {
    name: neuralPlannerId(pack),
    async plan(analysis, opts) {
      const b = base ? await base.plan(analysis, opts) : undefined;
      return (await neuralPlan(pack, analysis, { signal: opts?.signal, onProgress: opts?.onProgress, ...(b ? { base: b } : {}) })).plan;
    },
  };
}
