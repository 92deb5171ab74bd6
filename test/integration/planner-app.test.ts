import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/core/api/engine.ts';
import { parseApiInput } from '../../electron/shared/schemas.ts';
import type { RhythmPlanState } from '../../electron/shared/domain.ts';
import { cutsClip } from '../helpers/clips.ts';
import { finalEvent, type SeenEvent } from '../helpers/job-events.ts';
import { TINY_PACK } from '../unit/models/goldens.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// The app's planner choice through the engine API: the tiny random-weight pack stands in for an
// installed one (copied into a bundled folder this suite controls).
describe('choosing the ODF planner in the app (engine API)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let clipId = '';
  let heuristicOdf: number[] = [];
  const events: SeenEvent[] = [];
  const saved = { bundled: process.env.V2M_BUNDLED_MODELS, user: process.env.V2M_MODELS_DIR };
  const library = () => path.join(tmp.dir, 'data', 'library.sqlite');
  const open = () => {
    const e = new Engine({ libraryFile: library(), transport: 'direct', mediaUrl: (id) => `/media/${id}` });
    e.subscribe((event, payload) => events.push({ event, payload }));
    return e;
  };
  /** A re-plan's outcome as the UI hears it (the built-in planner's is instant: no runner job to wait on). */
  const replanned = async (jobId: string): Promise<RhythmPlanState> => {
    const e = await finalEvent(events, jobId, 120_000);
    if (e.event !== 'job:done') throw new Error(`re-plan failed: ${JSON.stringify(e.payload)}`);
    return (e.payload as { result: RhythmPlanState }).result;
  };

  beforeAll(async () => {
    tmp = tempDir('v2m-planner-app-');
    mkdirSync(path.join(tmp.dir, 'bundled'));
    cpSync(TINY_PACK, path.join(tmp.dir, 'bundled', 'diffv2m-tiny'), { recursive: true });
    mkdirSync(path.join(tmp.dir, 'empty'));
    process.env.V2M_BUNDLED_MODELS = path.join(tmp.dir, 'bundled');
    process.env.V2M_MODELS_DIR = path.join(tmp.dir, 'models');
    engine = open();
    const projectId = (await engine.createProject({ name: 'Planner' })).id;
    const clip = await engine.importClip({ projectId, path: await cutsClip('planner-app-5s.mp4', { cutTimes: [1.5, 3.2], durationSec: 5 }) });
    clipId = clip.id;
    await engine.waitForJob((await engine.analyze({ clipId })).jobId);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    process.env.V2M_BUNDLED_MODELS = saved.bundled;
    process.env.V2M_MODELS_DIR = saved.user;
    if (saved.bundled === undefined) delete process.env.V2M_BUNDLED_MODELS;
    if (saved.user === undefined) delete process.env.V2M_MODELS_DIR;
    tmp?.cleanup();
  });

  it('offers the built-in planner and the installed pack\'s rhythm predictor, saying its weights are random', async () => {
    expect(await engine.listPlanners()).toEqual([
      { kind: 'heuristic', pack: null, packVersion: null, randomWeights: false, available: true, reason: null },
      { kind: 'neural', pack: 'diffv2m-tiny', packVersion: null, randomWeights: true, available: true, reason: null },
    ]);
  });

  it('with no pack, the rhythm predictor is offered disabled with what to do', async () => {
    process.env.V2M_BUNDLED_MODELS = path.join(tmp.dir, 'empty');
    try {
      const [, neural] = await engine.listPlanners();
      expect(neural).toMatchObject({ kind: 'neural', pack: null, available: false });
      expect(neural!.reason).toMatch(/No model pack with a rhythm predictor is installed: install a Diff-V2M model pack/);
      await expect(engine.replanRhythm({ clipId, planner: 'neural' })).rejects.toThrow(/The rhythm predictor cannot run: No model pack with a rhythm predictor/);
    } finally {
      process.env.V2M_BUNDLED_MODELS = path.join(tmp.dir, 'bundled');
    }
  });

  it('switches to the predictor from the stored analysis as one undoable step that keeps the user\'s markers, and it persists', async () => {
    const before = (await engine.getRhythmPlan({ clipId }))!;
    expect(before.plan.planner).toBeUndefined();
    heuristicOdf = before.plan.odf;
    const edited = await engine.editRhythmPlan({ clipId, edit: { kind: 'addAccent', atSec: 2.5, id: 'mine' } });

    const ref = await engine.replanRhythm({ clipId, planner: 'neural', pack: 'diffv2m-tiny' });
    expect(ref.kind).toBe('rhythm-predict');
    const neural = await replanned(ref.jobId);
    // Stored analysis reused: the job never reports an analysis stage of its own.
    const stages = events.filter((e) => e.event === 'job:progress' && (e.payload as { jobId: string }).jobId === ref.jobId).map((e) => (e.payload as { stage: string }).stage);
    expect(stages).not.toContain('analysis');
    expect(neural.plan.planner).toMatchObject({ kind: 'neural', id: 'diffv2m-rhythm:diffv2m-tiny', pack: { name: 'diffv2m-tiny', randomWeights: true } });
    // Device "auto": CUDA when it starts, else the CPU with the reason.
    const device = neural.plan.planner!.device!;
    expect(device.requested).toBe('auto');
    if (device.provider === 'cpu') expect(device.fallbackReason).toMatch(/\w/);
    expect(neural.plan.odf).toHaveLength(heuristicOdf.length);
    expect(Math.min(...neural.plan.odf)).toBe(0);
    expect(Math.max(...neural.plan.odf)).toBe(1);
    expect(neural.plan.odf).not.toEqual(heuristicOdf);
    expect(neural.plan.accents).toEqual(edited.plan.accents);
    expect(neural.plan.cuts).toEqual(edited.plan.cuts);
    expect(neural.editCount).toBe(2);
    expect(await engine.getRhythmPlan({ clipId })).toEqual(neural);

    const undone = await engine.undoRhythmPlan({ clipId });
    expect(undone.plan).toEqual(edited.plan);
    expect((await engine.redoRhythmPlan({ clipId })).plan).toEqual(neural.plan);

    // Reopening the library shows the same planner.
    await engine.close();
    engine = open();
    expect((await engine.getRhythmPlan({ clipId }))!.plan).toEqual(neural.plan);
  }, 180_000);

  it('switches back to the built-in planner at once, also one step; CPU on request', async () => {
    const neural = (await engine.getRhythmPlan({ clipId }))!;
    const back = await replanned((await engine.replanRhythm({ clipId, planner: 'heuristic' })).jobId);
    expect(back.plan.planner).toEqual({ kind: 'heuristic', id: 'heuristic-1' });
    expect(back.plan.odf).toEqual(heuristicOdf);
    expect(back.plan.accents).toEqual(neural.plan.accents);
    expect((await engine.undoRhythmPlan({ clipId })).plan).toEqual(neural.plan);
    expect((await engine.redoRhythmPlan({ clipId })).plan).toEqual(back.plan);

    const cpu = await replanned((await engine.replanRhythm({ clipId, planner: 'neural', pack: 'diffv2m-tiny', device: 'cpu' })).jobId);
    expect(cpu.plan.planner!.device).toEqual({ provider: 'cpu', requested: 'cpu', fallbackReason: null });
    expect(cpu.plan.odf).toEqual(neural.plan.odf);
  }, 180_000);

  it('refuses what cannot run, before any job starts', async () => {
    await expect(engine.replanRhythm({ clipId, planner: 'neural', pack: 'nope' })).rejects.toThrow(/No installed model pack named "nope" has a rhythm predictor/);
    expect(() => parseApiInput('replanRhythm', { clipId, planner: 'heuristic', pack: 'diffv2m-tiny' })).toThrow(/pack and device choose the neural planner's model/);
    expect(() => parseApiInput('replanRhythm', { clipId, planner: 'oracle' })).toThrow(/replanRhythm: planner/);
    expect(() => parseApiInput('replanRhythm', { clipId, planner: 'neural', device: 'tpu' })).toThrow(/replanRhythm: device/);
  });
});
