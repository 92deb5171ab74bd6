import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import { batchInputs, batchOutputs, isComplete, summaryCsv } from '../../electron/cli/batch/score-batch.ts';
import { probe } from '../../electron/core/media/index.ts';
import { cutsClip } from '../helpers/clips.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-score-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout, stderr, isTTY: false, signal: new AbortController().signal });
  return { code, out, err };
}

describe('batch helpers', () => {
  it('expands folders to their videos, names outputs without collisions, and quotes CSV cells', () => {
    const dir = path.join(tmp, 'helpers');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    for (const f of ['b.mp4', 'a.MOV', 'notes.txt', '.hidden.mp4', 'sub/a.mp4']) writeFileSync(path.join(dir, f), 'x');
    expect(batchInputs([dir]).map((p) => path.relative(dir, p))).toEqual(['a.MOV', 'b.mp4']);
    expect(() => batchInputs([path.join(dir, 'missing.mp4')])).toThrow(/does not exist/);
    expect(() => batchInputs([path.join(dir, 'sub', '..', 'sub', 'none')])).toThrow(/does not exist/);
    const outs = batchOutputs([path.join(dir, 'a.MOV'), path.join(dir, 'sub/a.mp4')], '/o');
    expect(outs.map((o) => o.output)).toEqual(['/o/a.scored.mp4', '/o/a-2.scored.mp4']);
    expect(summaryCsv([{ input: 'x,"y".mp4', output: 'o', status: 'failed', seconds: 1.23456, error: 'bad\nfile' }]))
      .toBe('input,output,status,seconds,style,hitRate,hits,accents,integratedLufs,truePeakDbtp,error\n"x,""y"".mp4",o,failed,1.235,,,,,,,"bad\nfile"\n');
  });

  it('a clip counts as complete only with its MP4 and report both newer than the input', () => {
    const dir = path.join(tmp, 'complete');
    mkdirSync(dir, { recursive: true });
    const [input, output, report] = ['in.mp4', 'out.mp4', 'out.report.json'].map((f) => path.join(dir, f)) as [string, string, string];
    writeFileSync(input, 'v');
    writeFileSync(output, 'm');
    expect(isComplete(input, output, report)).toBe(false); // killed before the report
    writeFileSync(report, '{}');
    expect(isComplete(input, output, report)).toBe(true);
    const later = new Date(Date.now() + 10_000);
    utimesSync(input, later, later); // the input was edited after scoring
    expect(isComplete(input, output, report)).toBe(false);
  });
});

describe('v2m score <folder> --out-dir', () => {
  it('scores two good clips, skips one already scored, records a broken file, and exits 1', async () => {
    const src = path.join(tmp, 'clips');
    const outDir = path.join(tmp, 'scored');
    mkdirSync(src, { recursive: true });
    const a = await cutsClip('batch-a-3s.mp4', { cutTimes: [1, 2], durationSec: 3 });
    const b = await cutsClip('batch-b-3s.mp4', { cutTimes: [1.5], durationSec: 3, audio: true });
    const c = await cutsClip('batch-c-3s.mp4', { cutTimes: [0.8, 2.2], durationSec: 3 });
    copyFileSync(a, path.join(src, 'a.mp4'));
    copyFileSync(b, path.join(src, 'b.mp4'));
    copyFileSync(c, path.join(src, 'c.mp4'));
    writeFileSync(path.join(src, 'broken.mp4'), 'not a video at all\n'.repeat(50));

    // c.mp4 was scored by an earlier run.
    const first = await cli(['score', path.join(src, 'c.mp4'), '--out-dir', outDir, '--jobs', '1']);
    expect(first.code, first.err).toBe(0);
    const cOut = path.join(outDir, 'c.scored.mp4');
    const cMtime = statSync(cOut).mtimeMs;

    const r = await cli(['score', src, '--out-dir', outDir, '--jobs', '2', '--style', 'electronic']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/2 scored, 1 skipped, 1 failed/);
    expect(r.err).toMatch(/\[\d\/4\] a\.mp4: scored in [\d.]+ s, \d+\/\d+ accents hit/);
    expect(r.err).toMatch(/\[\d\/4\] c\.mp4: already scored, skipped/);
    expect(r.err).toMatch(/\[\d\/4\] broken\.mp4: FAILED/);
    expect(statSync(cOut).mtimeMs).toBe(cMtime);

    for (const n of ['a', 'b']) {
      const info = await probe(path.join(outDir, `${n}.scored.mp4`));
      expect(info.audio!.codec).toBe('aac');
      expect(existsSync(path.join(outDir, `${n}.scored.report.json`))).toBe(true);
    }
    expect(existsSync(path.join(outDir, 'broken.scored.mp4'))).toBe(false);
    // No temporary or half-written files are left behind.
    expect(readdirSync(outDir).filter((f) => f.startsWith('.') || f.includes('.tmp'))).toEqual([]);

    const summary = JSON.parse(readFileSync(path.join(outDir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ clips: 4, scored: 2, skipped: 1, failed: 1 });
    const byName = Object.fromEntries(summary.rows.map((row: { input: string }) => [path.basename(row.input), row]));
    expect(byName['a.mp4'].status).toBe('scored');
    expect(byName['a.mp4'].style).toBe('electronic');
    expect(byName['a.mp4'].hitRate).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(byName['b.mp4'].integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(byName['c.mp4'].status).toBe('skipped');
    expect(byName['c.mp4'].hitRate).toBeTypeOf('number');
    expect(byName['broken.mp4'].status).toBe('failed');
    expect(byName['broken.mp4'].error).toMatch(/\S/);
    const csv = readFileSync(path.join(outDir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^input,output,status,seconds,style,hitRate/);
  }, 240_000);

  it('refuses bad batch arguments with usage errors', async () => {
    expect((await cli(['score', tmp, '--out-dir', path.join(tmp, 'x'), '--jobs', '0'])).code).toBe(2);
    expect((await cli(['score', tmp, '--out-dir', path.join(tmp, 'x'), '-o', 'a.mp4'])).code).toBe(2);
    expect((await cli(['score', tmp, '--jobs', '2', '-o', 'a.mp4'])).code).toBe(2);
    const missing = await cli(['score', path.join(tmp, 'nope'), '--out-dir', path.join(tmp, 'x')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/does not exist/);
  });
});
