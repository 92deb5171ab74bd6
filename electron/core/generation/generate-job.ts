import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { accentsKey, type KeyedAccent } from '../../shared/accents-key.ts';
import type { GeneratorName, RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import type { MusicSyncReport } from '../eval/index.ts';
import type { JobContext } from '../jobs/job-protocol.ts';
import { probe } from '../media/index.ts';
import { planForGeneration, type RhythmPlan } from '../rhythm/index.ts';
import { defaultDataDir } from '../store/data-dir.ts';
import { generatorByName } from './generators.ts';
import type { StoredAnalysis } from './music-generator.ts';
import { runGeneration, type GenerationResult } from './run-generation.ts';

/** What the engine's `generate` hands the `generate` job. */
export interface GenerateJobInput {
  generator: GeneratorName;
  clipPath: string;
  /** The timeline plan as the user left it (or a full rhythm plan). */
  plan: TimelinePlan | RhythmPlan;
  /** The analysis's full plan (strengths, kinds, mood) under those edits, when known. */
  basePlan?: RhythmPlan | null;
  /** The stored analysis (scene and beat vectors, colour): no job decodes the clip again for it. */
  analysis?: StoredAnalysis | null;
  seed: number;
  params: Record<string, unknown>;
  /** Folder for the generated files (default: `<data dir>/generations`). */
  outDir?: string;
}

/**
 * The measured part of a stored sync report: the strong accents each with its nearest onset and
 * offset, the hit rate within ±50 ms, the beat alignment scores and offset statistics the CLI
 * prints, and `accentsKey`, the fingerprint of the plan's accents it was measured against (so a
 * later plan edit shows the report as stale until it is measured again).
 */
export function measuredSyncFields(s: MusicSyncReport | null, accents: readonly KeyedAccent[]) {
  return {
    windowSec: s?.strong.windowSec ?? null,
    hitRate: s?.strong.hitRate ?? null,
    hits: s?.strong.hits ?? null,
    accentCount: s?.strong.accents.length ?? 0,
    accents: s?.strong.accents ?? [],
    missedTimes: s ? s.strong.accents.filter((a) => !a.hit).map((a) => a.time) : [],
    offsets: s?.strong.offsets ?? null,
    beatScores: s?.strong.beatScores ?? null,
    onsetF: s?.strong.onsetF ?? null,
    tempo: s?.strong.tempo ?? null,
    weakHits: s?.weakHits ?? null,
    weakCount: s?.weakCount ?? null,
    accentsKey: accentsKey(accents),
    measuredAt: Date.now(),
  };
}

/**
 * The sync report the store keeps with a generation, the same shape for every generator: the
 * measured fields above and the loudness it was mastered to.
 */
export function storedSyncReport(r: GenerationResult, accents: readonly KeyedAccent[]) {
  return {
    generator: r.generator,
    label: r.label,
    ...measuredSyncFields(r.sync, accents),
    integratedLufs: r.master.integratedLufs,
    truePeakDbtp: r.master.truePeakDbtp,
    ...r.details,
    warnings: r.warnings,
  };
}

/** The one `generate` job: any generator through the shared pipeline, in a worker thread. */
export async function generateJob(input: GenerateJobInput, ctx: JobContext) {
  const generator = generatorByName(input.generator);
  const params = generator.parseParams(input.params);
  let plan: RhythmPlan;
  if ('odfLR' in input.plan) plan = input.plan;
  else if (input.basePlan) plan = planForGeneration(input.plan, input.basePlan, input.basePlan.durationSec, input.basePlan.fps);
  else {
    const info = await probe(input.clipPath, { signal: ctx.signal });
    plan = planForGeneration(input.plan, null, info.video?.durationSec ?? info.durationSec, info.video?.fps ?? 25);
  }
  if (generator.needsHistograms(params) && input.analysis && !input.analysis.colourHistograms) {
    throw new Error('The stored analysis of this clip has no colour histograms; analyse the clip again.');
  }
  const outDir = input.outDir ?? path.join(defaultDataDir(), 'generations');
  mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `${path.basename(input.clipPath, path.extname(input.clipPath))}.${input.generator}${typeof input.params.style === 'string' ? `.${input.params.style}` : ''}.${input.seed}.${Date.now().toString(36)}`);
  const r = await runGeneration(generator, params, {
    plan, video: input.clipPath, analysis: input.analysis ?? null, seed: input.seed, signal: ctx.signal,
    onProgress: (p) => ctx.progress(p.stage, p.overall),
  }, { mix: `${base}.wav`, stems: input.params.stems === true, midi: `${base}.mid` });
  // Keyed by the plan the user left (the timeline's accents), which is what the renderer compares against.
  return { files: r.files, label: r.label, syncReport: storedSyncReport(r, input.plan.accents) };
}
