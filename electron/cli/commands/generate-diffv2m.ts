import { existsSync } from 'node:fs';
import { UsageError, type CliContext } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { generateDiffV2m, type DiffV2mResult } from '../../core/diffusion/index.ts';
import { ModelPack, neuralPlan, resolvePack, type DevicePreference } from '../../core/models/index.ts';
import type { RhythmPlan } from '../../core/rhythm/index.ts';
import { analyzeVideo } from '../../core/video/index.ts';
import { sessionLine } from './models.ts';

export interface DiffV2mCliOptions {
  pack: string | undefined;
  seed: number;
  out: string;
  steps: string | undefined;
  cfg: string | undefined;
  device: string | undefined;
}

function parseSteps(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--steps must be a whole number from 1 to 1000, got "${v}"`);
  return n;
}

function parseCfg(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 20) throw new UsageError(`--cfg must be a number from 0 to 20, got "${v}"`);
  return n;
}

/**
 * `--pack/--steps/--cfg/--device` as the Diff-V2M generator's parameters (null for another
 * generator, where giving them is a mistake worth saying).
 */
export function diffV2mCliParams(generator: string, v: { pack?: string; steps?: string; cfg?: string; device?: string }): Record<string, unknown> | null {
  if (generator !== 'diffv2m') {
    // --pack and --device may be the neural planner's; the sampler's flags are only the generator's.
    const given = (['steps', 'cfg'] as const).filter((k) => v[k] !== undefined);
    if (given.length) throw new UsageError(`--${given[0]} goes with --generator diffv2m`);
    return null;
  }
  if (!v.pack) throw new UsageError('--generator diffv2m needs --pack <name|folder> (see v2m models list)');
  const device = v.device ?? 'auto';
  if (!['auto', 'cuda', 'cpu'].includes(device)) throw new UsageError(`--device must be auto, cuda or cpu, got "${v.device}"`);
  const steps = parseSteps(v.steps), cfgScale = parseCfg(v.cfg);
  return { pack: v.pack, device, ...(steps !== undefined ? { steps } : {}), ...(cfgScale !== undefined ? { cfgScale } : {}) };
}

/** The usage lines the generate command shows for the neural generator. */
export { DIFFV2M_USAGE } from './diffv2m-usage.ts';

export function diffV2mSummary(r: DiffV2mResult): string {
  const lines = [
    `  generator    Diff-V2M, pack ${r.packName} (${r.pack}), seed ${r.seed}, ${r.steps} steps, CFG ${r.cfgScale}`,
    `  windows      ${r.windows.length} × ≤ ${r.windows[0] ? r.windows[0].endSec - r.windows[0].startSec : 0} s${r.windows.some((w) => w.joinOnCut) ? `, ${r.windows.filter((w) => w.joinOnCut).length} joins on scene cuts` : ''}`,
    ...r.sessions.map((s) => `  provider     ${sessionLine(s)}`),
    `  time         features ${r.timings.featuresSec.toFixed(2)} s, sampling ${r.timings.samplingSec.toFixed(2)} s, decode ${r.timings.decodeSec.toFixed(2)} s, total ${r.timings.totalSec.toFixed(2)} s`,
    `  loudness     ${r.render.integratedLufs.toFixed(2)} LUFS, true peak ${r.render.truePeakDbtp.toFixed(2)} dBTP (limiter ${r.render.limiterReductionDb.toFixed(1)} dB)`,
    `  written      ${r.path}`,
    ...r.warnings.map((w) => `  warning      ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `v2m generate … --generator diffv2m`: a video gets the pack's rhythm predictor plan; a plan
 * file is used as edited, with the video it names for the CLIP features.
 */
export async function runDiffV2mGenerate(input: string, editedPlan: RhythmPlan | null, o: DiffV2mCliOptions, ctx: CliContext): Promise<number> {
  const p = diffV2mCliParams('diffv2m', o) as { pack: string; device: DevicePreference; steps?: number; cfgScale?: number };
  const { steps, cfgScale, device } = p;
  const listing = resolvePack(p.pack);
  if (listing.status !== 'ok') throw new Error(`The model pack ${listing.dir} cannot be used: ${listing.problem}`);
  const video = editedPlan ? editedPlan.source?.video : input;
  if (!video || !existsSync(video)) {
    throw new UsageError(`the Diff-V2M generator needs the video's frames: ${editedPlan ? 'the plan file names no video that exists (source.video)' : `${input} does not exist`}`);
  }
  const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
  const pack = ModelPack.open(listing.dir, { device });
  try {
    const analysis = await analyzeVideo(video, {
      signal: ctx.signal, filmstrip: false, histograms: false, waveform: false,
      onProgress: (p) => bar.update('analysing', p.fraction),
    });
    for (const w of analysis.warnings) ctx.stderr.write(`warning: ${w}\n`);
    const plan = editedPlan ?? (await neuralPlan(pack, analysis, { signal: ctx.signal, onProgress: (p) => bar.update(p.stage, p.fraction) })).plan;
    const r = await generateDiffV2m(plan, {
      video, pack, analysis, out: o.out, seed: o.seed, steps, cfgScale, signal: ctx.signal,
      onProgress: (p) => bar.update(p.windows && p.windows > 1 ? `${p.stage} ${p.window}/${p.windows}` : p.stage, p.fraction),
    });
    bar.done();
    ctx.stdout.write(`${input}\n${diffV2mSummary(r)}`);
    return 0;
  } finally {
    bar.done();
    await pack.close();
  }
}
