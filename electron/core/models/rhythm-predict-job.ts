import { analyzeVideo } from '../video/index.ts';
import type { VideoAnalysis } from '../video/video-analysis.ts';
import { ModelPack } from './model-pack.ts';
import { neuralPlan } from './neural-planner.ts';
import { rhythmPack } from './rhythm-pack.ts';
import type { DevicePreference } from './session-options.ts';
import type { SessionInfo } from './model-pack.ts';

export interface RhythmPredictJobInput {
  path: string;
  /** A pack folder or installed name; default: the first usable installed pack. */
  pack?: string;
  /** Reuse an analysis (its typed arrays survive the worker boundary); analysed here otherwise. */
  analysis?: VideoAnalysis;
  device?: DevicePreference;
}

export interface RhythmPredictJobResult {
  /** The model's ODF per second on the plan's 0..1 scale (what the timeline shows). */
  odf: number[];
  /** The predictor's raw z-scored output. */
  rawOdf: number[];
  planner: string;
  sessions: SessionInfo[];
}

interface JobContext {
  signal: AbortSignal;
  progress(stage: string, fraction: number): void;
}

/** The `rhythm-predict` job: the ONNX rhythm predictor's ODF for a clip, off the UI thread. */
export async function rhythmPredictJob(input: RhythmPredictJobInput, ctx: JobContext): Promise<RhythmPredictJobResult> {
  // Checked before the (long) analysis: no pack, or one without the rhythm model, is said at once.
  const packDir = rhythmPack(input.pack).dir;
  const analysis = input.analysis ?? (await analyzeVideo(input.path, {
    signal: ctx.signal, filmstrip: false, histograms: false, waveform: false,
    onProgress: (p) => ctx.progress('analysis', 0.8 * p.fraction),
  }));
  const pack = ModelPack.open(packDir, { device: input.device ?? 'auto' });
  try {
    const r = await neuralPlan(pack, analysis, { signal: ctx.signal, onProgress: (p) => ctx.progress(p.stage, 0.8 + 0.2 * p.fraction) });
    return { odf: r.plan.odfLR, rawOdf: Array.from(r.rawOdf), planner: r.plan.source!.planner, sessions: pack.sessions() };
  } finally {
    await pack.close();
  }
}
