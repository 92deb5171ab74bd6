import path from 'node:path';
import { UsageError, type CliContext } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import type { MixMode } from '../../core/media/index.ts';
import { batchInputs, defaultJobs, scoreBatch, type BatchRow } from './score-batch.ts';

export interface BatchArgs {
  paths: string[];
  outDir: string;
  jobs?: string;
  style?: string;
  seed: number;
  tempo: number | null;
  mix: MixMode;
}

function rowLine(r: BatchRow): string {
  const name = path.basename(r.input);
  if (r.status === 'failed') return `${name}: FAILED after ${r.seconds.toFixed(1)} s: ${r.error}`;
  const hits = r.hitRate != null ? `, ${r.hits}/${r.accents} accents hit (${(r.hitRate * 100).toFixed(1)} %)` : '';
  const loud = r.integratedLufs != null ? `, ${r.integratedLufs.toFixed(2)} LUFS` : '';
  return r.status === 'skipped' ? `${name}: already scored, skipped${hits}${loud}` : `${name}: scored in ${r.seconds.toFixed(1)} s${hits}${loud} → ${r.output}`;
}

/** `v2m score <folder|files…> --out-dir <dir>`: returns 0 when every clip is scored or skipped, 1 when some failed. */
export async function runScoreBatch(a: BatchArgs, ctx: CliContext): Promise<number> {
  if (!a.paths.length) throw new UsageError('score --out-dir needs at least one video file or folder');
  const jobs = a.jobs === undefined ? defaultJobs() : Number(a.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, got "${a.jobs}"`);
  const inputs = batchInputs(a.paths);
  const n = inputs.length;
  const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
  const running = new Map<number, number>();
  let finished = 0;
  const log = (text: string) => {
    bar.done();
    ctx.stderr.write(`${text}\n`);
  };
  ctx.stderr.write(`scoring ${n} clip${n === 1 ? '' : 's'} into ${a.outDir}, ${Math.min(jobs, n)} at a time\n`);
  const summary = await scoreBatch(inputs, {
    outDir: a.outDir, jobs, seed: a.seed, tempo: a.tempo, mix: a.mix, signal: ctx.signal, ...(a.style ? { style: a.style } : {}),
    onClip: (e) => {
      if (e.row) {
        running.delete(e.index);
        finished++;
        log(`[${finished}/${n}] ${rowLine(e.row)}`);
      } else {
        if (e.stage === 'starting') log(`[start] ${path.basename(e.input)}`);
        running.set(e.index, e.fraction);
      }
      const overall = (finished + [...running.values()].reduce((s, f) => s + f, 0)) / n;
      bar.update(`overall ${finished}/${n}`, overall);
    },
  });
  bar.done();
  ctx.stdout.write([
    `${summary.scored} scored, ${summary.skipped} skipped, ${summary.failed} failed`,
    `  summary      ${summary.csv}`,
    `               ${summary.json}`,
    '',
  ].join('\n'));
  return summary.failed ? 1 : 0;
}
