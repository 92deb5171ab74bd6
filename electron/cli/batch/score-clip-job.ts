import { scoreVideo } from '../../core/compose/index.ts';
import { writeFileAtomic } from '../../core/files/atomic-write.ts';
import type { MixMode } from '../../core/media/index.ts';
import { scoreReport } from '../commands/score.ts';

/** One clip of a batch, as the `score-clip` job (a worker thread) receives it. */
export interface ScoreClipInput {
  video: string;
  out: string;
  report: string;
  style?: string;
  seed: number;
  tempo: number | null;
  mix: MixMode;
}

export interface ScoreClipResult {
  style: string;
  hitRate: number | null;
  hits: number | null;
  accents: number | null;
  integratedLufs: number;
  truePeakDbtp: number;
  warnings: string[];
}

interface JobContext {
  signal: AbortSignal;
  progress(stage: string, fraction: number): void;
}

/** The single-clip path (scoreVideo, as `v2m score clip -o out` runs it) plus its report, written last. */
export async function scoreClipJob(input: ScoreClipInput, ctx: JobContext): Promise<ScoreClipResult> {
  const r = await scoreVideo(input.video, {
    out: input.out, style: input.style, seed: input.seed, tempo: input.tempo, mix: input.mix, report: true, signal: ctx.signal,
    onProgress: (p) => ctx.progress(p.stage, p.fraction),
  });
  // The report is the batch's "this clip is complete" marker, so it is written after the MP4.
  writeFileAtomic(input.report, new TextEncoder().encode(`${JSON.stringify(scoreReport(input.video, r), null, 2)}\n`));
  return summarizeReport(scoreReport(input.video, r));
}

/** The summary fields of a --report JSON (also read back for clips a resumed batch skips). */
export function summarizeReport(rep: ReturnType<typeof scoreReport>): ScoreClipResult {
  return {
    style: rep.composition?.style ?? 'remix',
    hitRate: rep.sync?.hitRate ?? null,
    hits: rep.sync?.hits ?? null,
    accents: rep.sync?.strongAccents ?? null,
    integratedLufs: rep.loudness.integratedLufs,
    truePeakDbtp: rep.loudness.truePeakDbtp,
    warnings: rep.warnings,
  };
}
