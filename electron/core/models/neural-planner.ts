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

/**
 * The ONNX rhythm predictor's plan: the built-in planner's accents, cuts and mood, with odfLR
 * replaced by the model's prediction from CLIP features, scene cuts and visual beats.
 */
export async function neuralPlan(pack: ModelPack, analysis: VideoAnalysis, o: { signal?: AbortSignal; onProgress?: (p: { stage: string; fraction: number }) => void } = {}): Promise<NeuralPlan> {
  const base = planFromAnalysis(analysis);
  const seconds = base.odfLR.length;
  const features = await clipFeatures(pack, analysis.source.path, { seconds, signal: o.signal, onProgress: o.onProgress });
  const rawOdf = await predictClipRhythm(pack, features, { sceneCut: analysis.sceneVector, pseudoBeat: analysis.visualBeatVector }, o.signal);
  const plan: RhythmPlan = {
    ...base,
    odfLR: toUnitRange(rawOdf).map((v) => Math.round(v * 1e6) / 1e6),
    source: { planner: `diffv2m-rhythm:${pack.name}`, video: analysis.source.path },
  };
  return { plan, features, rawOdf };
}

/** The same interface as the built-in planner, so the timeline shows the model's ODF when a pack is present. */
export function neuralPlanner(pack: ModelPack): RhythmPlanner {
  return {
    name: `diffv2m-rhythm:${pack.name}`,
    async plan(analysis, opts) {
      return (await neuralPlan(pack, analysis, { signal: opts?.signal })).plan;
    },
  };
}
