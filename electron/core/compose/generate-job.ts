import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import { probe } from '../media/index.ts';
import { planForGeneration, type RhythmPlan } from '../rhythm/index.ts';
import { defaultDataDir } from '../store/data-dir.ts';
import { generateMusic } from './generate.ts';
import { STYLE_NAMES } from './styles.ts';
import { musicSyncReport } from './sync-check.ts';

/** What the engine's `generate` hands the `generate-composer` job. */
export interface ComposerJobInput {
  clipPath: string;
  /** The timeline plan as the user left it. */
  plan: TimelinePlan;
  /** The analysis's full plan (strengths, kinds, mood) under those edits, when known. */
  basePlan?: RhythmPlan | null;
  seed: number;
  params: { style?: string; tempo?: number | null; stems?: boolean; intensity?: number } & Record<string, unknown>;
  /** Folder for the generated files (default: `<data dir>/generations`). */
  outDir?: string;
}

interface JobContext {
  signal: AbortSignal;
  progress(stage: string, fraction: number): void;
}

const SPAN = { composing: [0, 0.05], synthesis: [0.05, 0.8], mastering: [0.8, 0.9], checking: [0.9, 1] } as const;

/** The `generate-composer` job: compose, render (mix, stems, MIDI) and measure the sync, in a worker. */
export async function generateComposerJob(input: ComposerJobInput, ctx: JobContext) {
  const style = input.params.style;
  if (style !== undefined && !(STYLE_NAMES as readonly string[]).includes(style)) {
    throw new Error(`Unknown style "${style}": choose one of ${STYLE_NAMES.join(', ')}.`);
  }
  const info = await probe(input.clipPath, { signal: ctx.signal });
  const durationSec = info.video?.durationSec ?? info.durationSec;
  const plan = planForGeneration(input.plan, input.basePlan ?? null, durationSec, info.video?.fps ?? 25);
  const outDir = input.outDir ?? path.join(defaultDataDir(), 'generations');
  mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `${path.basename(input.clipPath, path.extname(input.clipPath))}.${style ?? 'auto'}.${input.seed}.${Date.now().toString(36)}`);
  const step = (stage: keyof typeof SPAN, f: number) => {
    const [a, b] = SPAN[stage];
    ctx.progress(stage, a + (b - a) * f);
  };
  const r = await generateMusic(plan, {
    out: `${base}.wav`,
    midiOut: `${base}.mid`,
    stems: input.params.stems === true,
    seed: input.seed,
    ...(style ? { style } : {}),
    ...(input.params.tempo ? { tempo: input.params.tempo } : {}),
    ...(typeof input.params.intensity === 'number' ? { intensity: input.params.intensity } : {}),
    signal: ctx.signal,
    onProgress: (p) => step(p.stage, p.fraction),
  });
  step('checking', 0);
  const sync = await musicSyncReport(r.render.path, plan.accents, { signal: ctx.signal });
  step('checking', 1);
  const files = [
    { role: 'music' as const, path: r.render.path },
    ...(r.midiPath ? [{ role: 'midi' as const, path: r.midiPath }] : []),
    ...Object.values(r.render.stems ?? {}).map((p) => ({ role: 'stem' as const, path: p })),
  ];
  return {
    files,
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
      summary: r.summary,
      warnings: r.render.warnings,
    },
  };
}
