import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../core/files/atomic-write.ts';
import type { MixMode } from '../../core/media/index.ts';
import { JobRunner } from '../../core/jobs/job-runner.ts';
import type { ScoreClipInput, ScoreClipResult } from './score-clip-job.ts';
import { summarizeReport } from './score-clip-job.ts';

const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.mts', '.m2ts', '.mpg', '.mpeg', '.wmv', '.flv', '.ts']);

export interface BatchRow extends Partial<ScoreClipResult> {
  input: string;
  output: string;
  status: 'scored' | 'skipped' | 'failed';
  seconds: number;
  error?: string;
}

export interface BatchSummary {
  rows: BatchRow[];
  scored: number;
  skipped: number;
  failed: number;
  csv: string;
  json: string;
}

export interface BatchOptions {
  outDir: string;
  jobs?: number;
  style?: string;
  seed?: number;
  tempo?: number | null;
  mix?: MixMode;
  signal?: AbortSignal;
  /** A clip started, progressed or finished (index into the input list). */
  onClip?: (e: { index: number; input: string; stage: string; fraction: number; row?: BatchRow }) => void;
}

/** Default pool size: half the cores (each clip already uses two threads: analysis and render). */
export function defaultJobs(): number {
  return Math.max(1, Math.floor((os.availableParallelism?.() ?? os.cpus().length) / 2));
}

/** Folders expand to the videos directly inside them (sorted); files are taken as given. */
export function batchInputs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let st;
    try {
      st = statSync(a);
    } catch {
      throw new Error(`${a} does not exist.`);
    }
    if (st.isDirectory()) {
      const vids = readdirSync(a).filter((f) => !f.startsWith('.') && VIDEO_EXT.has(path.extname(f).toLowerCase())).sort().map((f) => path.join(a, f));
      if (!vids.length) throw new Error(`${a} holds no video files (${[...VIDEO_EXT].join(' ')}).`);
      out.push(...vids);
    } else out.push(a);
  }
  return [...new Set(out.map((p) => path.resolve(p)))];
}

/** <out-dir>/<name>.scored.mp4 and its report; clips with the same name get -2, -3… */
export function batchOutputs(inputs: string[], outDir: string): { output: string; report: string }[] {
  const used = new Map<string, number>();
  return inputs.map((input) => {
    const base = path.basename(input, path.extname(input));
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const name = n === 1 ? base : `${base}-${n}`;
    return { output: path.join(outDir, `${name}.scored.mp4`), report: path.join(outDir, `${name}.scored.report.json`) };
  });
}

/**
 * A clip is done when its MP4 and its report (written after the MP4, both atomically) exist and
 * are newer than the input: a run killed mid-clip leaves no report, so the clip is scored again.
 */
export function isComplete(input: string, output: string, report: string): boolean {
  try {
    const t = statSync(input).mtimeMs;
    const o = statSync(output), r = statSync(report);
    return o.size > 0 && o.mtimeMs >= t && r.mtimeMs >= t;
  } catch {
    return false;
  }
}

const CSV_COLUMNS = ['input', 'output', 'status', 'seconds', 'style', 'hitRate', 'hits', 'accents', 'integratedLufs', 'truePeakDbtp', 'error'] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function summaryCsv(rows: BatchRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

function writeSummary(outDir: string, rows: BatchRow[]): { csv: string; json: string } {
  const csv = path.join(outDir, 'summary.csv');
  const json = path.join(outDir, 'summary.json');
  const scored = rows.filter((r) => r.status !== 'failed' && r.hitRate != null);
  const meanHitRate = scored.length ? scored.reduce((s, r) => s + r.hitRate!, 0) / scored.length : null;
  writeFileAtomic(csv, new TextEncoder().encode(summaryCsv(rows)));
  writeFileAtomic(json, new TextEncoder().encode(`${JSON.stringify({
    clips: rows.length,
    scored: rows.filter((r) => r.status === 'scored').length,
    skipped: rows.filter((r) => r.status === 'skipped').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    meanHitRate,
    rows,
  }, null, 2)}\n`));
  return { csv, json };
}

const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
const clipJob = { name: 'score-clip', module: new URL(`./score-clip-job.${ext}`, import.meta.url), exportName: 'scoreClipJob' };

/**
 * Scores many clips with at most `jobs` worker threads at once. Finished clips are skipped, a
 * failing clip is recorded with its error and the rest go on; the summary is rewritten after
 * every clip, so an interrupted batch still leaves an honest one.
 */
export async function scoreBatch(inputs: string[], o: BatchOptions): Promise<BatchSummary> {
  mkdirSync(o.outDir, { recursive: true });
  const jobs = Math.max(1, Math.floor(o.jobs ?? defaultJobs()));
  const targets = batchOutputs(inputs, o.outDir);
  const rows: (BatchRow | undefined)[] = new Array(inputs.length);
  const byJob = new Map<string, number>();
  const runner = new JobRunner({
    kinds: [clipJob],
    emit: (event, payload) => {
      if (event !== 'job:progress') return;
      const p = payload as { jobId: string; stage: string; fraction: number };
      const i = byJob.get(p.jobId);
      if (i !== undefined) o.onClip?.({ index: i, input: inputs[i]!, stage: p.stage, fraction: p.fraction });
    },
  });
  const finish = (i: number, row: BatchRow) => {
    rows[i] = row;
    writeSummary(o.outDir, rows.filter((r): r is BatchRow => r !== undefined));
    o.onClip?.({ index: i, input: inputs[i]!, stage: row.status, fraction: 1, row });
  };
  let next = 0;
  const lane = async () => {
    while (next < inputs.length && !o.signal?.aborted) {
      const i = next++;
      const input = inputs[i]!, { output, report } = targets[i]!;
      const t0 = performance.now();
      if (isComplete(input, output, report)) {
        let fields: Partial<ScoreClipResult> = {};
        try {
          fields = summarizeReport(JSON.parse(readFileSync(report, 'utf8')));
        } catch {
          // An unreadable report only loses the figures; the MP4 is complete.
        }
        finish(i, { input, output, status: 'skipped', seconds: 0, ...fields });
        continue;
      }
      o.onClip?.({ index: i, input, stage: 'starting', fraction: 0 });
      const job: ScoreClipInput = { video: input, out: output, report, seed: o.seed ?? 1, tempo: o.tempo ?? null, mix: o.mix ?? 'replace', ...(o.style ? { style: o.style } : {}) };
      try {
        const ref = runner.start(clipJob.name, job);
        byJob.set(ref.jobId, i);
        const result = (await runner.wait(ref.jobId)) as ScoreClipResult;
        finish(i, { input, output, status: 'scored', seconds: (performance.now() - t0) / 1000, ...result });
      } catch (e) {
        if (o.signal?.aborted) break;
        finish(i, { input, output, status: 'failed', seconds: (performance.now() - t0) / 1000, error: (e as Error).message });
      }
    }
  };
  const onAbort = () => void runner.close();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, inputs.length) }, lane));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await runner.close();
  }
  o.signal?.throwIfAborted();
  const done = rows.filter((r): r is BatchRow => r !== undefined);
  const files = existsSync(path.join(o.outDir, 'summary.json')) ? { csv: path.join(o.outDir, 'summary.csv'), json: path.join(o.outDir, 'summary.json') } : writeSummary(o.outDir, done);
  return {
    rows: done,
    scored: done.filter((r) => r.status === 'scored').length,
    skipped: done.filter((r) => r.status === 'skipped').length,
    failed: done.filter((r) => r.status === 'failed').length,
    ...files,
  };
}
