import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import type { V2mApi } from '../../electron/shared/api.ts';
import { createBridgeClient } from '../../electron/shared/client.ts';
import { cutsClip } from '../helpers/clips.ts';
import { finalEvent, type SeenEvent } from '../helpers/job-events.ts';
import { testVideo } from '../helpers/paths.ts';
import { childMediaProcesses } from '../helpers/processes.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

type Seen = SeenEvent;

describe('the API through the bridge, end to end', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let api: V2mApi;
  const events: Seen[] = [];

  beforeAll(async () => {
    tmp = tempDir('v2m-api-');
    bridge = await openBridge({ dataDir: path.join(tmp.dir, 'data') });
    api = createBridgeClient({ baseUrl: `http://127.0.0.1:${bridge.server.port}`, token: bridge.server.token }).api;
    bridge.engine.subscribe((event, payload) => events.push({ event, payload }));
  });
  afterAll(async () => {
    await bridge?.close();
    tmp?.cleanup();
  });

  it('imports, analyses (real analysis in a worker), edits with undo/redo, and reuses the cache', async () => {
    const src = await cutsClip('bridge-api-cuts.mp4', { cutTimes: [1.5, 3], durationSec: 4.5, audio: true });
    const file = path.join(tmp.dir, 'clip one.mp4');
    copyFileSync(src, file);
    const project = await api.createProject({ name: 'Scored' });
    const clip = await api.importClip({ projectId: project.id, path: file });
    expect(clip.probe.video).toMatchObject({ width: 320, height: 240 });
    expect(clip.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(clip.mediaUrl).toMatch(/^\/media\/clip-[0-9a-f-]+\?token=/);
    await expect(api.importClip({ projectId: project.id, path: 'relative.mp4' })).rejects.toThrow(/full path/);
    await expect(api.importClip({ projectId: project.id, path: path.join(tmp.dir, 'missing.mp4') })).rejects.toThrow(/missing\.mp4/);

    expect(await api.getAnalysis({ clipId: clip.id })).toBeNull();
    expect(await api.getRhythmPlan({ clipId: clip.id })).toBeNull();
    const job = await api.analyze({ clipId: clip.id });
    const done = await finalEvent(events, job.jobId);
    expect(done.event, JSON.stringify(done.payload)).toBe('job:done');
    expect(events.some((e) => e.event === 'job:progress' && (e.payload as { jobId: string }).jobId === job.jobId)).toBe(true);

    const summary = await api.getAnalysis({ clipId: clip.id });
    expect(summary?.parts.sort()).toEqual(['filmstrip', 'plan', 'video', 'waveform']);
    const strip = await api.getFilmstrip({ clipId: clip.id });
    expect(strip!.frames.length).toBeGreaterThanOrEqual(4);
    expect(Buffer.from(strip!.frames[0]!.jpegBase64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const wave = await api.getWaveform({ clipId: clip.id });
    expect(wave!.durationSec).toBeCloseTo(4.5, 0);
    // The engine's pyramid arrives through the bridge as typed arrays, finest level first.
    expect(wave!.levels.length).toBeGreaterThanOrEqual(2);
    expect(wave!.levels[0]!.max).toBeInstanceOf(Float32Array);
    expect(wave!.levels[0]!.perSecond).toBeGreaterThan(wave!.levels[1]!.perSecond);
    expect(Math.max(...wave!.levels[0]!.max)).toBeGreaterThan(0.1);

    const plan = (await api.getRhythmPlan({ clipId: clip.id }))!;
    expect(plan.source).toMatch(/^analysis:video-/);
    expect(plan.plan.cuts.length).toBe(2);
    expect(plan.plan.cuts[0]!.timeSec).toBeCloseTo(1.5, 1);
    expect(plan.plan.cuts[1]!.timeSec).toBeCloseTo(3, 1);
    expect(plan.plan.cuts.map((c) => c.kind)).toEqual(['detected', 'detected']);

    const edited = await api.editRhythmPlan({ clipId: clip.id, edit: { kind: 'addCut', atSec: 0.75 } });
    expect(edited.plan.cuts[0]).toEqual({ id: 'c3', timeSec: 0.75, kind: 'user' });
    await expect(api.editRhythmPlan({ clipId: clip.id, edit: { kind: 'deleteCut', id: 'c99' } })).rejects.toThrow(/no cut with id "c99"/);
    expect((await api.undoRhythmPlan({ clipId: clip.id })).plan.cuts).toEqual(plan.plan.cuts);
    expect((await api.redoRhythmPlan({ clipId: clip.id })).plan.cuts[0]!.timeSec).toBe(0.75);
    expect((await api.resetRhythmPlan({ clipId: clip.id })).plan).toEqual(plan.plan);

    // Same bytes under another name: the cache answers at once, no worker.
    const moved = path.join(tmp.dir, 'renamed copy.mp4');
    copyFileSync(file, moved);
    const clip2 = await api.importClip({ projectId: project.id, path: moved });
    expect(clip2.contentHash).toBe(clip.contentHash);
    const again = await api.analyze({ clipId: clip2.id });
    expect(again.jobId).toMatch(/^cached-/);
    expect((await finalEvent(events, again.jobId, 2000)).event).toBe('job:done');
    expect((await api.getFilmstrip({ clipId: clip2.id }))!.frames.length).toBe(strip!.frames.length);

    const opened = await api.openProject({ projectId: project.id });
    expect(opened.clips.map((c) => c.path).sort()).toEqual([file, moved].sort());
  });

  it('cancels a running analysis within a second and leaves no ffmpeg behind', async () => {
    const project = await api.createProject({ name: 'Cancel' });
    const clip = await api.importClip({ projectId: project.id, path: testVideo });
    const job = await api.analyze({ clipId: clip.id });
    for (let i = 0; i < 500 && !events.some((e) => e.event === 'job:progress' && (e.payload as { jobId: string; fraction: number }).jobId === job.jobId && (e.payload as { fraction: number }).fraction > 0.03); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const t0 = performance.now();
    expect(await api.cancelJob({ jobId: job.jobId })).toEqual({ cancelled: true });
    const end = await finalEvent(events, job.jobId, 5000);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(end.event).toBe('job:failed');
    expect(end.payload).toMatchObject({ cancelled: true });
    for (let i = 0; i < 25 && childMediaProcesses().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(childMediaProcesses()).toEqual([]);
    expect(await api.getAnalysis({ clipId: clip.id })).toBeNull();
  });

  it('says clearly what this build cannot do yet', async () => {
    const project = await api.createProject({ name: 'Gen' });
    const src = await cutsClip('bridge-api-cuts.mp4', { cutTimes: [1.5, 3], durationSec: 4.5, audio: true });
    const clip = await api.importClip({ projectId: project.id, path: src });
    await expect(api.generate({ clipId: clip.id, generator: 'composer' })).rejects.toThrow(/(Analyse the clip|not available)/);
    const status = await api.modelStatus({});
    expect(status.onnxruntimeVersion).toMatch(/^1\.30\./);
    expect(status.executionProviders).toContain('cpu');
    expect(await api.listGenerations({ clipId: clip.id })).toEqual([]);
    expect(await api.listExports({ projectId: project.id })).toEqual([]);
  });
});
