import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWavInfo } from '../../electron/core/mastering/index.ts';
import { generateJob } from '../../electron/core/generation/generate-job.ts';
import { heuristicPlanner } from '../../electron/core/rhythm/index.ts';
import { analyzeVideo } from '../../electron/core/video/index.ts';
import { runV2m } from '../helpers/cli.ts';
import { builtInJobKinds, JobRunner } from '../../electron/core/jobs/index.ts';
import type { RhythmPredictJobResult } from '../../electron/core/models/index.ts';
import { cutsClip } from '../helpers/clips.ts';
import { TINY_PACK } from '../unit/models/goldens.ts';

let tmp: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-neural-cli-'));
  env = { V2M_MODELS_DIR: path.join(tmp, 'models'), V2M_DATA_DIR: path.join(tmp, 'data') };
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('v2m models', () => {
  it('install, list, verify --load (provider reported), and clear refusals', async () => {
    const inst = await runV2m(['models', 'install', TINY_PACK], { env });
    expect(inst.code).toBe(0);
    expect(inst.stdout).toMatch(/installed diffv2m-tiny \(\d+\.\d MB\), every file checked against its sha256/);
    const list = await runV2m(['models', 'list', '--json'], { env });
    const json = JSON.parse(list.stdout) as { packs: { name: string; source: string; status: string }[]; runtime: { version: string } };
    expect(json.runtime.version).toMatch(/^1\.30\./);
    expect(json.packs.map((p) => [p.name, p.source, p.status])).toEqual([['diffv2m-tiny', 'user', 'ok'], ['diffv2m-tiny', 'bundled', 'ok']]);
    const ver = await runV2m(['models', 'verify', 'diffv2m-tiny', '--load'], { env });
    expect(ver.code).toBe(0);
    expect(ver.stdout).toMatch(/diffv2m-tiny: every file matches its manifest/);
    expect(ver.stdout).toMatch(/dit +CPU fp32 dit\.onnx \(CUDA not used: .*\)/);
    const strict = await runV2m(['models', 'verify', 'diffv2m-tiny', '--load', '--device', 'cuda'], { env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/CUDA was required for clip_image .* cannot start/);
    const bad = await runV2m(['models', 'install', path.join(tmp, 'nothing')], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not a model pack: it has no manifest\.json/);
    const usage = await runV2m(['models', 'frobnicate'], { env });
    expect(usage.code).toBe(2);
  }, 90_000);

  it('v2m generate --generator diffv2m runs end to end on the CPU and reports the provider', async () => {
    const clip = await cutsClip('neural-cli-5s.mp4', { cutTimes: [2.5], durationSec: 5 });
    const out = path.join(tmp, 'neural.wav');
    const r = await runV2m(['generate', clip, '--generator', 'diffv2m', '--pack', 'diffv2m-tiny', '--steps', '4', '--seed', '3', '--out', out], { env, timeoutMs: 90_000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Diff-V2M, pack diffv2m-tiny \(.*\), seed 3, 4 steps, CFG 3/);
    expect(r.stdout).toMatch(/provider +dit +CPU fp32/);
    expect(readWavInfo(out).frames).toBe(5 * 44100);
    // An edited plan file: used as is, with the video it names for the CLIP features.
    const planFile = path.join(tmp, 'plan.json');
    const plan = await runV2m(['plan', clip, '--json'], { env });
    const edited = JSON.parse(plan.stdout);
    edited.odfLR = edited.odfLR.map((_: number, i: number) => (i === 3 ? 1 : 0));
    writeFileSync(planFile, JSON.stringify(edited));
    const fromPlan = await runV2m(['generate', planFile, '--generator', 'diffv2m', '--pack', TINY_PACK, '--steps', '2', '--out', path.join(tmp, 'p.wav')], { env, timeoutMs: 90_000 });
    expect(fromPlan.code).toBe(0);
    expect(readWavInfo(path.join(tmp, 'p.wav')).frames).toBe(5 * 44100);
    delete edited.source;
    writeFileSync(planFile, JSON.stringify(edited));
    const noVideo = await runV2m(['generate', planFile, '--generator', 'diffv2m', '--pack', TINY_PACK], { env });
    expect(noVideo.code).toBe(2);
    expect(noVideo.stderr).toMatch(/the plan file names no video that exists/);
    const noPack = await runV2m(['generate', clip, '--generator', 'diffv2m'], { env });
    expect(noPack.code).toBe(2);
    expect(noPack.stderr).toMatch(/needs --pack/);
  }, 90_000);

  it('v2m score --generator diffv2m writes the MP4 and a report whose sync report is measured', async () => {
    const clip = await cutsClip('neural-cli-5s.mp4', { cutTimes: [2.5], durationSec: 5 });
    const out = path.join(tmp, 'scored-neural.mp4'), report = path.join(tmp, 'scored-neural.json');
    const r = await runV2m(['score', clip, '--generator', 'diffv2m', '--pack', TINY_PACK, '--steps', '2', '--device', 'cpu', '-o', out, '--report', report], { env, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/music +Diff-V2M diffv2m-tiny, 2 steps, CFG [\d.]+, cpu, seed 1/);
    const j = JSON.parse(readFileSync(report, 'utf8')) as { generator: string; sync: { strongAccents: number; hitRate: number } | null; diffv2m: { steps: number }; loudness: { ffmpeg: { integratedLufs: number } } };
    expect(j.generator).toBe('diffv2m');
    expect(j.sync).not.toBeNull();
    expect(j.sync!.strongAccents).toBeGreaterThan(0);
    expect(j.sync!.hitRate).toBeGreaterThanOrEqual(0);
    expect(j.diffv2m.steps).toBe(2);
    expect(Number.isFinite(j.loudness.ffmpeg.integratedLufs)).toBe(true);
    const mixed = await runV2m(['score', clip, '--steps', '3', '-o', out], { env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--steps goes with --generator diffv2m/);
  }, 150_000);

  it('the one generate job runs Diff-V2M on the stored analysis and checks its sync like any generator', async () => {
    const clip = await cutsClip('neural-cli-5s.mp4', { cutTimes: [2.5], durationSec: 5 });
    const { filmstrip: _f, waveform: _w, ...analysis } = await analyzeVideo(clip, { filmstrip: false, histograms: true, waveform: false });
    const plan = await heuristicPlanner.plan({ ...analysis, filmstrip: null, waveform: null });
    const stages: string[] = [];
    const r = await generateJob(
      { generator: 'diffv2m', clipPath: clip, plan, analysis, seed: 9, params: { pack: TINY_PACK, steps: 3, device: 'cpu' }, outDir: path.join(tmp, 'gen') },
      { signal: new AbortController().signal, progress: (s, f) => { stages.push(s); expect(f).toBeGreaterThanOrEqual(0); expect(f).toBeLessThanOrEqual(1); } },
    );
    expect(r.files).toHaveLength(1);
    expect(r.files[0]!.role).toBe('music');
    expect(readWavInfo(r.files[0]!.path).frames).toBe(5 * 44100);
    const report = r.syncReport as unknown as { warnings: string[]; generator: string; accentCount: number; hitRate: number | null; integratedLufs: number; diffv2m: { sessions: { provider: string }[] } };
    expect(report.diffv2m.sessions.every((s) => s.provider === 'cpu')).toBe(true);
    expect(report.generator).toBe('diffv2m');
    // The neural path has a sync report now, measured on its mastered music as for the composer.
    expect(report.accentCount).toBe(plan.accents.filter((a) => a.strength >= 0.5).length);
    expect(report.hitRate).not.toBeNull();
    // A tiny pack's random weights make spiky noise: the shared mastering will not crush it to
    // reach −14 LUFS, and says so (the same rule as for every generator).
    expect(Number.isFinite(report.integratedLufs)).toBe(true);
    if (Math.abs(report.integratedLufs - -14) > 0.5) expect(report.warnings.join(' ')).toMatch(/LUFS, not -14 LUFS/);
    expect(stages).toEqual(expect.arrayContaining(['sampling', 'mastering', 'checking']));
    // The stored analysis was used: the generator's own analysis stage never ran.
    expect(stages).not.toContain('analysis');
  }, 90_000);

  it('the job kinds run the neural path in worker threads (rhythm-predict, generate)', async () => {
    const clip = await cutsClip('neural-cli-5s.mp4', { cutTimes: [2.5], durationSec: 5 });
    const events: string[] = [];
    const runner = new JobRunner({ kinds: builtInJobKinds, emit: (e) => events.push(e) });
    expect(runner.hasKind('generate')).toBe(true);
    const ref = runner.start('rhythm-predict', { path: clip, pack: TINY_PACK, device: 'cpu' });
    const r = (await runner.wait(ref.jobId)) as RhythmPredictJobResult;
    expect(r.odf).toHaveLength(5);
    expect(Math.max(...r.odf)).toBe(1);
    expect(r.planner).toBe('diffv2m-rhythm:diffv2m-tiny');
    expect(r.sessions.map((s) => s.provider)).toEqual(['cpu', 'cpu']);
    expect(events).toContain('job:done');
    // The engine's generate(): its stored timeline plan shape, in a worker.
    const gen = runner.start('generate', {
      generator: 'diffv2m', clipPath: clip, seed: 4, outDir: path.join(tmp, 'gen-worker'),
      plan: { cuts: [{ id: 'c1', timeSec: 2.5, kind: 'detected' }], accents: [{ id: 'a1', timeSec: 2.5, strength: 1, kind: 'cut' }], odf: r.odf, tempo: null },
      params: { pack: TINY_PACK, steps: 2, device: 'cpu' },
    });
    const g = (await runner.wait(gen.jobId)) as { files: { role: string; path: string }[]; label: string };
    expect(g.label).toMatch(/^Diff-V2M diffv2m-tiny, 2 steps, CFG [\d.]+, cpu, seed 4$/);
    expect(g.files[0]!.role).toBe('music');
    expect(readWavInfo(g.files[0]!.path).frames).toBe(5 * 44100);
  }, 90_000);
});
