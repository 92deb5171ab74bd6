import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import { musicSyncReport } from '../compose/sync-check.ts';
import { probe } from '../media/index.ts';
import { planForGeneration, type RhythmPlan } from '../rhythm/index.ts';
import { defaultDataDir } from '../store/data-dir.ts';
import { generateRemix, type RemixStage } from './remix-generator.ts';
import { RemixError } from './remix-error.ts';

/** What the engine's `generate` hands the `generate-remix` job. */
export interface RemixJobInput {
  clipPath: string;
  plan: TimelinePlan;
  basePlan?: RhythmPlan | null;
  seed: number;
  /** `music`: the user's track (absolute path); `maxStretch`: largest tempo nudge, 0..0.06. */
  params: { music?: unknown; maxStretch?: unknown } & Record<string, unknown>;
  outDir?: string;
}

interface JobContext {
  signal: AbortSignal;
  progress(stage: string, fraction: number): void;
}

const SPAN: Record<RemixStage | 'checking', [number, number]> = {
  'track-analysis': [0, 0.2], arranging: [0.2, 0.6], rendering: [0.6, 0.8], mastering: [0.8, 0.9], checking: [0.9, 1],
};

/** The `generate-remix` job ("Your music"): the user's track re-arranged onto the clip's cuts, in a worker. */
export async function generateRemixJob(input: RemixJobInput, ctx: JobContext) {
  const music = input.params.music;
  if (typeof music !== 'string' || !path.isAbsolute(music)) throw new RemixError('BAD_OPTIONS', 'Choose your track: give the full path of a music file.');
  const maxStretch = input.params.maxStretch;
  if (maxStretch !== undefined && typeof maxStretch !== 'number') throw new RemixError('BAD_OPTIONS', 'The tempo nudge must be a number (0 to 0.06).');
  const info = await probe(input.clipPath, { signal: ctx.signal });
  const plan = planForGeneration(input.plan, input.basePlan ?? null, info.video?.durationSec ?? info.durationSec, info.video?.fps ?? 25);
  const outDir = input.outDir ?? path.join(defaultDataDir(), 'generations');
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${path.basename(input.clipPath, path.extname(input.clipPath))}.remix.${path.basename(music, path.extname(music))}.${Date.now().toString(36)}.wav`);
  const step = (stage: RemixStage | 'checking', f: number) => {
    const [a, b] = SPAN[stage];
    ctx.progress(stage, a + (b - a) * f);
  };
  const r = await generateRemix(plan, { music, out, ...(maxStretch !== undefined ? { maxStretch } : {}), signal: ctx.signal, onProgress: (p) => step(p.stage, p.fraction) });
  step('checking', 0);
  const sync = await musicSyncReport(r.render.path, plan.accents, { signal: ctx.signal });
  step('checking', 1);
  const s = r.summary;
  return {
    files: [{ role: 'music' as const, path: r.render.path }],
    syncReport: {
      hitRate: sync.strong.hitRate,
      hits: sync.strong.hits,
      accents: sync.strong.accents.length,
      missedTimes: sync.strong.accents.filter((a) => !a.hit).map((a) => a.time),
      weakHits: sync.weakHits,
      weakCount: sync.weakCount,
      tempoBpm: sync.strong.tempo,
      integratedLufs: r.render.integratedLufs,
      truePeakDbtp: r.render.truePeakDbtp,
      remix: {
        music: s.music, tempoBpm: s.tempoBpm, beatsPerBar: s.beatsPerBar, bars: s.bars, ending: s.ending,
        seams: s.seams, cutsOnDownbeats: s.cuts.aimed.onDownbeat, cuts: s.cuts, tempo: s.tempo, timings: s.timings,
      },
      warnings: r.render.warnings,
    },
  };
}
