import { readFile } from 'node:fs/promises';
import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { analyzeRhythmFile } from '../../core/audio/analyze-file.ts';
import { parseAccents } from '../../core/eval/accents.ts';
import { BEAT_SCORES_VARIANT } from '../../core/eval/beat-scores.ts';
import { syncReport } from '../../core/eval/sync-report.ts';
import { fsErrorWords } from '../../core/files/fs-error-words.ts';

async function readAccents(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `Accents file not found: ${file}` : `Cannot read accents file ${file}: ${fsErrorWords(err)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseAccents(json);
}

export const syncReportCommand: CliCommand = {
  name: 'sync-report',
  summary: 'how well an audio or video file lands on target accents (hits within ±50 ms, BCS/BHS, offsets, tempo)',
  usage: [
    'v2m sync-report <accents.json> <audio-or-video> [--json] [--window <ms>]',
    '',
    '  accents.json   [{"time": s, "strength": w}, …], a list of times, or {"accents": [...]}',
    '  --window <ms>  hit window either side of an accent (default 50)',
    '  --json         print the full report as JSON on stdout',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, window: { type: 'string' } });
    if (positionals.length !== 2) throw new UsageError('sync-report takes an accents JSON file and an audio or video file');
    const windowMs = values.window === undefined ? 50 : Number(values.window);
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new UsageError(`--window must be a positive number of milliseconds, got "${values.window}"`);
    const accents = await readAccents(positionals[0]!);
    const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
    let analysis;
    try {
      analysis = await analyzeRhythmFile(positionals[1]!, {
        signal: ctx.signal,
        melLR: false,
        temLR: false,
        onProgress: (p) => bar.update(p.stage, p.fraction),
      });
    } finally {
      bar.done();
    }
    const report = syncReport(accents, analysis.onsets, { durationSec: analysis.durationSec, tempo: analysis.tempo, windowSec: windowMs / 1000 });
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ ...report, beatScoresVariant: BEAT_SCORES_VARIANT }, null, 2)}\n`);
      return 0;
    }
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
    const lines = [
      `${positionals[1]} vs ${positionals[0]}`,
      `  accents    ${accents.length}, hits within ±${windowMs} ms: ${report.hits} (${pct(report.hitRate)}; weighted by strength ${pct(report.weightedHitRate)})`,
      `  onsets     ${report.onsetCount} detected; onset F-measure vs accents ${report.onsetF.fMeasure.toFixed(3)}`,
      report.beatScores
        ? `  BCS / BHS  ${report.beatScores.bcs.toFixed(3)} / ${report.beatScores.bhs.toFixed(3)} per second (${BEAT_SCORES_VARIANT})`
        : '  BCS / BHS  undefined (no accent inside the audio)',
      report.offsets
        ? `  offsets    mean ${ms(report.offsets.mean)}, median ${ms(report.offsets.median)}, mean |offset| ${ms(report.offsets.meanAbs)}, sd ${ms(report.offsets.std)}`
        : '  offsets    no hits',
      `  tempo      ${report.tempo ? `${report.tempo.toFixed(2)} BPM` : 'none'}`,
    ];
    const misses = report.accents.filter((a) => !a.hit);
    if (misses.length) {
      lines.push(`  missed     ${misses.slice(0, 10).map((a) => `${a.time.toFixed(3)}s${a.offset !== null ? ` (${a.offset >= 0 ? '+' : ''}${ms(a.offset)})` : ''}`).join(', ')}${misses.length > 10 ? ` … (${misses.length})` : ''}`);
    }
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
