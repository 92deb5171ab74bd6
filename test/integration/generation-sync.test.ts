import { copyFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { accentsKey } from '../../electron/shared/accents-key.ts';
import type { V2mApi } from '../../electron/shared/api.ts';
import { createBridgeClient } from '../../electron/shared/client.ts';
import type { GenerationInfo } from '../../electron/shared/domain.ts';
import { cutsClip } from '../helpers/clips.ts';
import { finalEvent, type SeenEvent } from '../helpers/job-events.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

interface Report { accentsKey: string; accentCount: number; accents: Array<{ time: number; hit: boolean }>; hitRate: number; beatScores: unknown; offsets: unknown; label: string; integratedLufs: number; measuredAt: number }

describe('generations: stable numbers, and a sync report measured again when the plan changes (through the API)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let api: V2mApi;
  const events: SeenEvent[] = [];
  let clipId = '';

  const generate = async (seed: number): Promise<GenerationInfo> => {
    const job = await api.generate({ clipId, generator: 'composer', seed, params: { style: 'electronic' } });
    const done = await finalEvent(events, job.jobId, 120_000);
    expect(done.event, JSON.stringify(done.payload)).toBe('job:done');
    return (done.payload as { result: GenerationInfo }).result;
  };

  beforeAll(async () => {
    tmp = tempDir('v2m-gen-sync-');
    bridge = await openBridge({ dataDir: path.join(tmp.dir, 'data') });
    api = createBridgeClient({ baseUrl: `http://127.0.0.1:${bridge.server.port}`, token: bridge.server.token }).api;
    bridge.engine.subscribe((event, payload) => events.push({ event, payload }));
    const src = await cutsClip('gen-sync-cuts.mp4', { cutTimes: [1.5, 3.5], durationSec: 5, audio: true });
    const file = path.join(tmp.dir, 'clip.mp4');
    copyFileSync(src, file);
    const project = await api.createProject({ name: 'Sync test' });
    clipId = (await api.importClip({ projectId: project.id, path: file })).id;
    expect((await finalEvent(events, (await api.analyze({ clipId })).jobId, 120_000)).event).toBe('job:done');
  }, 150_000);
  afterAll(async () => {
    await bridge?.close();
    tmp?.cleanup();
  });

  it('numbers generations per clip once; deleting one renumbers nothing and removes its music', async () => {
    const g1 = await generate(1);
    const g2 = await generate(2);
    expect([g1.ordinal, g2.ordinal]).toEqual([1, 2]);
    const music1 = g1.files.find((f) => f.role === 'music')!.path;
    expect(existsSync(music1)).toBe(true);
    await expect(api.deleteGeneration({ generationId: g1.id })).resolves.toEqual({ deleted: true });
    expect(existsSync(music1)).toBe(false);
    const g3 = await generate(3);
    expect((await api.listGenerations({ clipId })).map((g) => [g.ordinal, g.seed])).toEqual([[3, 3], [2, 2]]);
    expect(g3.ordinal).toBe(3);
    await expect(api.deleteGeneration({ generationId: g1.id })).rejects.toThrow(/No generated music/);
  }, 300_000);

  it('stores the plan\'s accents key with the report and measures it again against the edited plan', async () => {
    const [g] = await api.listGenerations({ clipId });
    const plan = (await api.getRhythmPlan({ clipId }))!;
    const before = g!.syncReport as unknown as Report;
    expect(before.accentsKey).toBe(accentsKey(plan.plan.accents));
    expect(before.beatScores).not.toBeNull();

    // A strong accent where the music was not written to land.
    const edited = await api.editRhythmPlan({ clipId, edit: { kind: 'addAccent', atSec: 4.37, strength: 1 } });
    expect(accentsKey(edited.plan.accents)).not.toBe(before.accentsKey);
    // Asking twice while it runs is one measurement.
    const [a, b] = await Promise.all([api.measureSync({ generationId: g!.id }), api.measureSync({ generationId: g!.id })]);
    expect(a.jobId).toBe(b.jobId);
    expect(a.kind).toBe('measure-sync');
    const done = await finalEvent(events, a.jobId, 60_000);
    expect(done.event, JSON.stringify(done.payload)).toBe('job:done');
    const after = ((done.payload as { result: GenerationInfo }).result.syncReport) as unknown as Report;
    expect(after.accentsKey).toBe(accentsKey(edited.plan.accents));
    expect(after.accentCount).toBe(before.accentCount + 1);
    expect(after.accents.some((x) => Math.abs(x.time - 4.37) < 1e-9)).toBe(true);
    expect(after.measuredAt).toBeGreaterThanOrEqual(before.measuredAt);
    // What the generation was (its label, its loudness) is kept.
    expect(after.label).toBe(before.label);
    expect(after.integratedLufs).toBe(before.integratedLufs);
    expect(((await api.listGenerations({ clipId }))[0]!.syncReport as unknown as Report).accentsKey).toBe(after.accentsKey);
  }, 120_000);

  it('refuses to measure what does not exist, with a message', async () => {
    await expect(api.measureSync({ generationId: 'nope' })).rejects.toThrow(/No generated music with id nope/);
    await expect(api.measureSync({ generationId: '../etc' })).rejects.toThrow(/measureSync: generationId: id has unexpected characters/);
    const [g] = await api.listGenerations({ clipId });
    const music = g!.files.find((f) => f.role === 'music')!.path;
    renameSync(music, `${music}.away`);
    try {
      await expect(api.measureSync({ generationId: g!.id })).rejects.toThrow(/is missing \(moved or deleted\)/);
    } finally {
      renameSync(`${music}.away`, music);
    }
  });
});
