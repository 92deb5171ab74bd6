import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import { splitJsonOption } from '../../electron/cli/commands/analyze.ts';
import { readAnalysisFile } from '../../electron/core/video/index.ts';
import { cutsClip } from '../helpers/clips.ts';
import { testVideo } from '../helpers/paths.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-analyze-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout, stderr, isTTY, signal: new AbortController().signal });
  return { code, out, err };
}

describe('v2m analyze', () => {
  it('--json out.json on testvideo.mp4: cuts 30, 180, 394 with their timestamps, and a sidecar', async () => {
    const out = path.join(tmp, 'out.json');
    const r = await cli(['analyze', testVideo, '--json', out, '--no-filmstrip'], true);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/scene cuts\s+3 \(content detector\)/);
    expect(r.out).toContain('00:00:01:00  frame     30      1.001 s');
    expect(r.out).toMatch(/visual beats \d+/);
    expect(r.out).toMatch(/mood\s+\w+, \w+: valence -?\d\.\d\d, arousal -?\d\.\d\d/);
    expect(r.out).toContain(`written      ${out} (+ ${path.join(tmp, 'out.bin')})`);
    expect(r.err).toMatch(/analysing\s+\[#+/); // a progress bar on a TTY

    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.sceneCuts.map((c: { frame: number }) => c.frame)).toEqual([30, 180, 394]);
    expect(json.sceneCuts[0].timeSec).toBeCloseTo(1.001, 6);
    expect(json.frameCount).toBe(720);
    expect(json.durationSec).toBeCloseTo(24.023, 3);
    expect(json.fps).toBeCloseTo(29.97, 3);
    expect(json.sceneVector).toHaveLength(24);
    expect(json.visualRhythm.curve).toHaveLength(720);
    expect(json.visualRhythm.fps).toBeCloseTo(29.97, 3);
    expect(json.visualBeatVector).toHaveLength(24);
    expect(json.visualBeats.length).toBeGreaterThan(0);
    expect(json.mood.overall).toHaveProperty('valence');
    expect(json.colourHistograms).toMatchObject({ dim: 3072, rows: 24, data: { dtype: 'float32', length: 24 * 3072 } });
    const back = await readAnalysisFile(out);
    expect(back.colourHistograms!.data.length).toBe(24 * 3072);
  });

  it('--json alone prints JSON on stdout, with no progress bar off a TTY', async () => {
    const clip = await cutsClip('analyze-cli-cuts.mp4', { cutTimes: [1], durationSec: 2 });
    const r = await cli(['analyze', '--json', clip]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out);
    expect(json.sceneCuts).toHaveLength(1);
    expect(json.colourHistograms.data.base64).toEqual(expect.any(String));
    expect(json.filmstrip.jpeg).toHaveLength(2);
  });

  it('explains bad arguments and bad files', async () => {
    expect((await cli(['analyze'])).code).toBe(2);
    const twoFiles = await cli(['analyze', 'a.mp4', 'b.mp4']);
    expect(twoFiles.code).toBe(2);
    expect(twoFiles.err).toMatch(/exactly one video file/);
    const det = await cli(['analyze', testVideo, '--detector', 'nope']);
    expect(det.code).toBe(2);
    expect(det.err).toMatch(/--detector must be "content" or "adaptive"/);
    const missing = await cli(['analyze', path.join(tmp, 'missing.mp4')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/File not found/);
  });

  it('parses --json with and without a file', () => {
    expect(splitJsonOption(['v.mp4', '--json'])).toEqual({ jsonOut: true, rest: ['v.mp4'] });
    expect(splitJsonOption(['--json', 'v.mp4'])).toEqual({ jsonOut: true, rest: ['v.mp4'] });
    expect(splitJsonOption(['v.mp4', '--json', 'o.json'])).toEqual({ jsonOut: 'o.json', rest: ['v.mp4'] });
    expect(splitJsonOption(['--json=x/o.json', 'v.mp4'])).toEqual({ jsonOut: 'x/o.json', rest: ['v.mp4'] });
    expect(splitJsonOption(['v.mp4'])).toEqual({ jsonOut: undefined, rest: ['v.mp4'] });
    expect(() => splitJsonOption(['--json='])).toThrow(/needs a file name/);
  });
});
