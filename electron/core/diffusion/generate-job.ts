import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { probe } from '../media/index.ts';
import { listPacks, ModelPack, type DevicePreference } from '../models/index.ts';
import { planForGeneration, type RhythmPlan } from '../rhythm/index.ts';
import type { RhythmPlan as UiRhythmPlan } from '../../shared/domain.ts';
import { defaultDataDir } from '../store/data-dir.ts';
import { generateDiffV2m } from './diffv2m-generator.ts';

/** What the engine's `generate` hands a `generate-<generator>` job. */
export interface DiffV2mJobInput {
  clipPath: string;
  /** The engine's stored plan (cuts, accents, odf, tempo) or a full rhythm plan. */
  plan: RhythmPlan | UiRhythmPlan;
  /** The analysis's full plan (strengths, mood) under the timeline edits, when the engine has it. */
  basePlan?: RhythmPlan | null;
  seed: number;
  params: { pack?: string; steps?: number; cfgScale?: number; device?: DevicePreference } & Record<string, unknown>;
  /** Folder for the generated files (default: `<data dir>/generations`). */
  outDir?: string;
}

interface JobContext {
  signal: AbortSignal;
  progress(stage: string, fraction: number): void;
}

const STAGES = { loading: [0, 0.03], analysis: [0.03, 0.15], 'clip-features': [0.15, 0.2], rhythm: [0.2, 0.22], sampling: [0.22, 0.93], decoding: [0.93, 0.95], mastering: [0.95, 1] } as const;

/** The `generate-diffv2m` job: the neural generator in a worker thread. */
export async function generateDiffV2mJob(input: DiffV2mJobInput, ctx: JobContext) {
  const packDir = input.params.pack ?? listPacks().find((p) => p.status === 'ok')?.dir;
  if (!packDir) throw new Error('No Diff-V2M model pack is installed; install one with v2m models install <folder|URL>.');
  const outDir = input.outDir ?? path.join(defaultDataDir(), 'generations');
  mkdirSync(outDir, { recursive: true });
  const base = path.basename(input.clipPath, path.extname(input.clipPath));
  const out = path.join(outDir, `${base}.diffv2m.${input.seed}.${Date.now().toString(36)}.wav`);
  let plan: RhythmPlan;
  if ('odfLR' in input.plan) plan = input.plan;
  else {
    const info = await probe(input.clipPath, { signal: ctx.signal });
    plan = planForGeneration(input.plan, input.basePlan ?? null, info.video?.durationSec ?? info.durationSec, info.video?.fps ?? 25);
  }
  const pack = ModelPack.open(packDir, { device: input.params.device ?? 'auto' });
  try {
    const r = await generateDiffV2m(plan, {
      video: input.clipPath, pack, out, seed: input.seed, steps: input.params.steps, cfgScale: input.params.cfgScale, signal: ctx.signal,
      onProgress: (p) => {
        const [a, b] = STAGES[p.stage];
        ctx.progress(p.stage, a + (b - a) * p.fraction);
      },
    });
    return {
      files: [{ role: 'music' as const, path: r.path }],
      syncReport: null,
      diffv2m: { pack: r.pack, sessions: r.sessions, steps: r.steps, cfgScale: r.cfgScale, windows: r.windows.length, timings: r.timings, warnings: r.warnings },
    };
  } finally {
    await pack.close();
  }
}
