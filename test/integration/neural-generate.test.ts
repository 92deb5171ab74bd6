import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWavInfo } from '../../electron/core/mastering/index.ts';
import { generateDiffV2m } from '../../electron/core/diffusion/index.ts';
import { ModelPack, neuralPlan, neuralPlanner, clipFeatures, clipImageEmbeds, clipPixels, maxAbsDiff } from '../../electron/core/models/index.ts';
import { samplingFrames } from '../../electron/core/media/index.ts';
import { analyzeVideo, type VideoAnalysis } from '../../electron/core/video/index.ts';
import { cutsClip } from '../helpers/clips.ts';
import { TINY_PACK } from '../unit/models/goldens.ts';

let clip: string;
let analysis: VideoAnalysis;
let pack: ModelPack;
let out: string;
beforeAll(async () => {
  clip = await cutsClip('neural-cuts-14s.mp4', { cutTimes: [3.2, 7.5, 11], durationSec: 14, fps: 25 });
  analysis = await analyzeVideo(clip, { filmstrip: false, histograms: false, waveform: false });
  pack = ModelPack.open(TINY_PACK, { device: 'auto', intraOpThreads: 1 });
  out = mkdtempSync(path.join(os.tmpdir(), 'v2m-neural-'));
}, 120_000);
afterAll(async () => {
  await pack.close();
  rmSync(out, { recursive: true, force: true });
});

describe('features from the pack', () => {
  it('per-second CLIP features come from the 1 fps stream, preprocessed per the manifest', async () => {
    const f = await clipFeatures(pack, clip, { seconds: 14 });
    expect([f.seconds, f.dim, f.data.length]).toEqual([14, 16, 14 * 16]);
    expect(Array.from(f.frameTimes).every((t, s) => t >= s && t < s + 1)).toBe(true);
    // Recompute second 8 by hand from the sampling stream at the recipe's size.
    const r = pack.manifest.feature_recipes.clip;
    let frame: Uint8Array | null = null;
    for await (const fr of samplingFrames(clip, { size: r.resize.short_side })) if (fr.index === 8) frame = fr.data;
    const px = clipPixels(frame!, r.resize.short_side, r);
    const emb = await clipImageEmbeds(pack, px, 1);
    expect(maxAbsDiff(emb, f.data.subarray(8 * 16, 9 * 16))).toBe(0);
    // A solid-colour second: every pixel is (v/255 − mean)/std.
    expect(px[0]).toBeCloseTo((frame![0]! / 255 - r.mean[0]!) / r.std[0]!, 5);
    // Seconds of different scenes give different features; seconds of one scene the same.
    expect(maxAbsDiff(f.data.subarray(0, 16), f.data.subarray(16, 32))).toBeLessThan(1e-6);
    expect(maxAbsDiff(f.data.subarray(0, 16), f.data.subarray(5 * 16, 6 * 16))).toBeGreaterThan(1e-3);
  });

  it('the ONNX rhythm predictor plans behind the planner interface', async () => {
    const planner = neuralPlanner(pack);
    expect(planner.name).toBe('diffv2m-rhythm:diffv2m-tiny');
    const { plan, rawOdf } = await neuralPlan(pack, analysis);
    expect(plan.odfLR).toHaveLength(14);
    expect(Math.min(...plan.odfLR)).toBe(0);
    expect(Math.max(...plan.odfLR)).toBe(1);
    expect(plan.source?.planner).toBe('diffv2m-rhythm:diffv2m-tiny');
    expect(plan.cuts.map((c) => Math.round(c.timeSec * 10) / 10)).toEqual([3.2, 7.5, 11]);
    expect(rawOdf.length).toBe(14);
    // The predictor's ranking of seconds survives the 0..1 mapping.
    const order = (a: ArrayLike<number>) => Array.from(a).map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
    expect(order(plan.odfLR)).toEqual(order(rawOdf));
    expect((await planner.plan(analysis)).odfLR).toEqual(plan.odfLR);
  });
});

describe('the Diff-V2M generator on the tiny pack (CPU)', () => {
  it('plan + video → mastered WAV of the clip length, provider reported, deterministic per seed', async () => {
    const { plan } = await neuralPlan(pack, analysis);
    const stages = new Set<string>();
    const a = await generateDiffV2m(plan, { video: clip, pack, analysis, out: path.join(out, 'a.wav'), seed: 5, steps: 8, onProgress: (p) => stages.add(p.stage) });
    expect([...stages]).toEqual(expect.arrayContaining(['loading', 'clip-features', 'rhythm', 'sampling', 'decoding', 'mastering']));
    const wav = readWavInfo(a.path);
    expect(wav.sampleRate).toBe(44100);
    expect(wav.channels).toBe(2);
    expect(wav.frames).toBe(14 * 44100);
    // Tiny random weights make spiky noise that the limiter cannot bring to −14 LUFS at −1 dBTP:
    // the peak ceiling holds and the shortfall is reported (the mastering itself is tested on tones).
    expect(a.render.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(a.render.integratedLufs).toBeGreaterThan(-20);
    if (Math.abs(a.render.integratedLufs - -14) > 0.5) expect(a.warnings.join('\n')).toMatch(/The loudness is -1\d\.\d\d LUFS, not -14 LUFS/);
    // 6 s windows (the tiny pack's conditioning length), each join on a scene cut.
    expect(a.windows.map((w) => [w.startSec, w.endSec])).toEqual([[0, 6], [2, 8], [7, 13], [10, 14]]);
    expect(a.windows.filter((w) => w.joinOnCut).map((w) => Math.round(w.joinSec! * 10) / 10)).toEqual([3.2, 7.5, 11]);
    for (const s of a.sessions) expect(s.provider).toBe('cpu');
    expect(a.sessions.find((s) => s.model === 'dit')?.fallbackReason).toMatch(/CUDA/);
    expect(a.warnings.join('\n')).toMatch(/time-stretched/);
    const b = await generateDiffV2m(plan, { video: clip, pack, analysis, out: path.join(out, 'b.wav'), seed: 5, steps: 8 });
    const c = await generateDiffV2m(plan, { video: clip, pack, analysis, out: path.join(out, 'c.wav'), seed: 6, steps: 8 });
    expect(readFileSync(b.path).equals(readFileSync(a.path))).toBe(true);
    expect(readFileSync(c.path).equals(readFileSync(a.path))).toBe(false);
  });

  it('cancels between sampler steps and leaves no file behind', async () => {
    const { plan } = await neuralPlan(pack, analysis);
    const ac = new AbortController();
    const dest = path.join(out, 'cancelled.wav');
    await expect(generateDiffV2m(plan, {
      video: clip, pack, analysis, out: dest, steps: 8, signal: ac.signal,
      onProgress: (p) => { if (p.stage === 'sampling' && p.fraction > 0.2) ac.abort(); },
    })).rejects.toThrow(/abort/i);
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(out).filter((f) => f.includes('cancelled'))).toEqual([]);
  });
});
