import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import { scoreVideo } from '../../electron/core/compose/index.ts';
import { probe } from '../../electron/core/media/index.ts';
import { normalizePlan, STRONG_ACCENT } from '../../electron/core/rhythm/index.ts';
import { cutsClip } from '../helpers/clips.ts';
import { testVideo } from '../helpers/paths.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-score-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout, stderr, isTTY: false, signal: new AbortController().signal });
  return { code, out, err };
}

describe('v2m score on PySceneDetect\'s testvideo.mp4', () => {
  it('writes an MP4 with the original video stream and the new music; the report hits ≥ 95 % of the strong accents at −14 LUFS', async () => {
    const out = path.join(tmp, 'scored.mp4');
    const reportFile = path.join(tmp, 'report.json');
    const r = await cli(['score', testVideo, '-o', out, '--report', reportFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [src, dst] = [await probe(testVideo), await probe(out)];
    expect(dst.video!.codec).toBe(src.video!.codec);
    expect(dst.video!.frameCount).toBe(src.video!.frameCount);
    expect(dst.audio!.codec).toBe('aac');
    expect(Math.abs(dst.durationSec - src.durationSec)).toBeLessThan(0.1);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    console.info(`[score] testvideo.mp4: ${report.sync.hits}/${report.sync.strongAccents} strong accents within ±50 ms (${(report.sync.hitRate * 100).toFixed(1)} %), ` +
      `${report.loudness.integratedLufs.toFixed(2)} LUFS (ffmpeg ${report.loudness.ffmpeg.integratedLufs}), true peak ${report.loudness.truePeakDbtp.toFixed(2)} dBTP (ffmpeg ${report.loudness.ffmpeg.truePeakDbtp}), ${report.composition.style}, ${report.composition.key}`);
    expect(report.sync.strongAccents).toBeGreaterThanOrEqual(3);
    expect(report.sync.hitRate).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(report.loudness.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(report.loudness.ffmpeg.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(report.loudness.ffmpeg.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(report.loudness.longestSilenceSec).toBeLessThan(1);
    // Cuts at frames 30, 180, 394 are all accents of the plan.
    expect(report.plan.accents.filter((a: { kind: string }) => a.kind === 'cut').length).toBe(3);
    expect(r.out).toMatch(/accents\s+\d+ strong, \d+ hit within ±50 ms/);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('scoreVideo on generated clips with known cuts', () => {
  it('a cut every 0.3 s: not a wall of hits, and the strong accents are still hit', async () => {
    const cuts = Array.from({ length: 19 }, (_, i) => Math.round(0.3 * (i + 1) * 100) / 100);
    const clip = await cutsClip('score-busy-6s.mp4', { cutTimes: cuts, durationSec: 6, audio: true });
    const r = await scoreVideo(clip, { out: path.join(tmp, 'busy.mp4'), mix: 'duck', style: 'electronic', report: true });
    expect(r.mix).toBe('duck');
    const strong = r.plan.accents.filter((a) => a.strength >= STRONG_ACCENT);
    // The detector's 15-frame minimum scene keeps some of the cuts; the planner thins the rest.
    expect(strong.length).toBeGreaterThanOrEqual(3);
    expect(strong.length).toBeLessThan(cuts.length);
    for (let i = 1; i < strong.length; i++) expect(strong[i]!.timeSec - strong[i - 1]!.timeSec).toBeGreaterThanOrEqual(0.45 - 1e-9);
    console.info(`[score] cut every 0.3 s: ${r.sync!.strong.hits}/${r.sync!.strong.accents.length} strong accents hit, ${r.render.integratedLufs.toFixed(2)} LUFS`);
    expect(r.sync!.strong.hitRate).toBeGreaterThanOrEqual(0.95);
    expect((await probe(path.join(tmp, 'busy.mp4'))).audio!.codec).toBe('aac');
  });

  it('a clip without sound: mix falls back to replace with a warning; a clip with no cuts still gets music', async () => {
    const clip = await cutsClip('score-still-4s.mp4', { cutTimes: [], durationSec: 4 });
    const r = await scoreVideo(clip, { out: path.join(tmp, 'still.mp4'), mix: 'mix', style: 'ambient', report: true });
    expect(r.mix).toBe('replace');
    expect(r.warnings.join(' ')).toMatch(/no sound of its own/);
    expect(r.plan.cuts).toEqual([]);
    expect(Math.abs(r.render.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(r.render.longestSilenceSec).toBeLessThan(1);
  });
});

describe('v2m plan and v2m generate', () => {
  it('plan --json prints a self-contained plan; generate accepts it edited (unsorted, outside the clip) and writes WAV, stems and MIDI', async () => {
    const clip = await cutsClip('plan-cuts-8s.mp4', { cutTimes: [2.5, 5], durationSec: 8 });
    const p = await cli(['plan', clip, '--json']);
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.out);
    expect(plan.durationSec).toBeCloseTo(8, 1);
    const cutTimes = plan.accents.filter((a: { kind: string }) => a.kind === 'cut').map((a: { timeSec: number }) => a.timeSec);
    expect(cutTimes).toHaveLength(2);
    // Within a frame of where the colours change (the generated clip rounds to its 25 fps frames).
    expect(Math.abs(cutTimes[0] - 2.5)).toBeLessThanOrEqual(0.041);
    expect(Math.abs(cutTimes[1] - 5)).toBeLessThanOrEqual(0.041);
    expect(plan.odfLR).toHaveLength(8);
    expect(normalizePlan(plan).warnings).toEqual([]);

    plan.accents.push({ timeSec: 6.6, strength: 0.8, kind: 'user' }, { timeSec: 1.1, strength: 0.7, kind: 'user' }, { timeSec: 42, strength: 1, kind: 'user' });
    const planFile = path.join(tmp, 'edited.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const wav = path.join(tmp, 'gen.wav');
    const g = await cli(['generate', planFile, '--style', 'acoustic', '--seed', '4', '--out', wav, '--midi', '--stems']);
    expect(g.code).toBe(0);
    expect(g.err).toMatch(/were not in time order; they were sorted/);
    expect(g.err).toMatch(/1 accent\(s\) outside the clip/);
    for (const f of ['gen.wav', 'gen.mid', 'gen.drums.wav', 'gen.bass.wav', 'gen.harmony.wav', 'gen.lead.wav']) expect(existsSync(path.join(tmp, f)), f).toBe(true);
    expect(g.out).toMatch(/style\s+acoustic/);
  });

  it('bad input gets a clear message and nothing half-written', async () => {
    const r = await cli(['score', testVideo, '-o', '/nonexistent-v2m/out.mp4']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/folder \/nonexistent-v2m does not exist/);
    const u = await cli(['generate', testVideo, '--style', 'polka']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/Unknown style "polka"/);
    const t = await cli(['generate', testVideo, '--tempo', '300']);
    expect(t.err).toMatch(/--tempo must be a number of BPM from 60 to 180/);
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, '{"durationSec": "long"}');
    const b = await cli(['generate', bad, '--out', path.join(tmp, 'bad.wav')]);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/Invalid rhythm plan at durationSec/);
    expect(existsSync(path.join(tmp, 'bad.wav'))).toBe(false);
  });
});
