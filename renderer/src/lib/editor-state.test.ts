import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V2mApi } from '../../../electron/shared/api.ts';
import { accentsKey } from '../../../electron/shared/accents-key.ts';
import type { ClipInfo, GenerationInfo, PlanEdit, RhythmPlan, RhythmPlanState } from '../../../electron/shared/domain.ts';
// Test-only: the engine's own edit function stands behind the fake API.
import { applyPlanEdit } from '../../../electron/core/store/plan-edits.ts';
import { runeModules, type RuneModules } from '../testing/rune-modules.ts';
import type { EditorState as EditorStateClass } from './editor-state.svelte.ts';

let modules: RuneModules;
let EditorState: typeof EditorStateClass;

beforeAll(async () => {
  modules = await runeModules();
  ({ EditorState } = await modules.load<{ EditorState: typeof EditorStateClass }>('/src/lib/editor-state.svelte.ts'));
});
afterAll(async () => {
  await modules?.close();
});

const clip: ClipInfo = {
  id: 'c1', projectId: 'p1', path: '/v/a.mp4', size: 1, mtimeMs: 0, contentHash: 'h', importedAt: 0, mediaUrl: '/media/c1',
  probe: { durationSec: 24, container: 'mp4', video: { codec: 'h264', width: 320, height: 240, fps: 25, frameCount: 600, vfr: false, rotation: 0 }, audio: null },
};

/** An in-memory engine for one clip's plan, with the engine's own edit rules and history. */
function fakeApi(base: RhythmPlan) {
  const history: PlanEdit[] = [];
  let undone: PlanEdit[] = [];
  const calls: string[] = [];
  const state = (): RhythmPlanState => ({
    clipId: clip.id, source: 'analysis:test', editCount: history.length, canUndo: history.length > 0, canRedo: undone.length > 0,
    plan: history.reduce((p, e) => applyPlanEdit(p, e, 24), base),
  });
  const api = {
    getRhythmPlan: async () => (calls.push('get'), state()),
    getFilmstrip: async () => null,
    getVisualRhythm: async () => null,
    getWaveform: async () => ({ durationSec: 0.2, levels: [{ perSecond: 10, min: Float32Array.of(-0.5, -0.2), max: Float32Array.of(0.5, 0.2) }] }),
    listGenerations: async () => [],
    editRhythmPlan: async ({ edit }: { edit: PlanEdit }) => {
      calls.push(`edit:${edit.kind}`);
      applyPlanEdit(state().plan, edit, 24);
      history.push(edit);
      undone = [];
      return state();
    },
    undoRhythmPlan: async () => (undone.push(history.pop()!), calls.push('undo'), state()),
    redoRhythmPlan: async () => (history.push(undone.pop()!), calls.push('redo'), state()),
    resetRhythmPlan: async () => ((history.length = 0), (undone = []), calls.push('reset'), state()),
  };
  return { api: api as unknown as V2mApi, calls };
}

const basePlan: RhythmPlan = {
  cuts: [1, 6, 13].map((t, i) => ({ id: `c${i + 1}`, timeSec: t, kind: 'detected' as const })),
  accents: [2, 4].map((t, i) => ({ id: `a${i + 1}`, timeSec: t, strength: 0.8, kind: 'visual-beat' as const })),
  odf: new Array(24).fill(0.2),
  tempo: null,
};

describe('EditorState', () => {
  it('loads the plan and waveform, and fits the clip to the first measured width', async () => {
    const { api } = fakeApi(basePlan);
    const ed = new EditorState(api, clip);
    await ed.load();
    expect(ed.loading).toBe(false);
    expect(ed.cuts).toEqual([1, 6, 13]);
    expect(ed.waveform?.base.perSecond).toBe(10);
    expect(ed.visualRhythmNote).toMatch(/visual rhythm/);
    ed.setWidth(1200);
    expect(ed.pxPerSec).toBe(50);
    ed.zoom(2, 600);
    expect(ed.pxPerSec).toBe(100);
    ed.setWidth(1000);
    expect(ed.pxPerSec).toBe(100);
  });

  it('saves edits in order, shows the engine’s answer and clears the drag preview', async () => {
    const { api, calls } = fakeApi(basePlan);
    const ed = new EditorState(api, clip);
    await ed.load();
    ed.previewCuts = [1, 7, 13];
    await ed.edit([{ kind: 'moveCut', id: 'c2', toSec: 7 }], 'moved');
    expect(ed.previewCuts).toBeNull();
    expect(ed.cuts).toEqual([1, 7, 13]);
    expect(ed.announcement).toBe('moved');
    ed.select({ kind: 'cut', indices: [0, 2] });
    await ed.deleteSelection();
    expect(ed.cuts).toEqual([7]);
    // Deleting a multi-selection is one batch: one transaction, one undo step.
    expect(calls.filter((c) => c.startsWith('edit'))).toEqual(['edit:moveCut', 'edit:batch']);
    await ed.undo();
    expect(ed.cuts).toEqual([1, 7, 13]);
    await ed.redo();
    expect(ed.cuts).toEqual([7]);
    await ed.undo();
    await ed.undo();
    expect(ed.cuts).toEqual([1, 6, 13]);
    await ed.redo();
    expect(ed.cuts).toEqual([1, 7, 13]);
    await ed.reset();
    expect(ed.cuts).toEqual([1, 6, 13]);
    expect(ed.plan?.canUndo).toBe(false);
  });

  it('shows a refused edit in place and reloads what the engine really holds', async () => {
    const { api, calls } = fakeApi(basePlan);
    const ed = new EditorState(api, clip);
    await ed.load();
    await ed.edit([{ kind: 'addCut', atSec: 2 }, { kind: 'addCut', atSec: 2 }], 'two');
    expect(ed.error).toMatch(/already a cut at 2 s/);
    // A batch is all or nothing: the refused second edit takes the first with it.
    expect(ed.cuts).toEqual([1, 6, 13]);
    expect(calls.at(-1)).toBe('get');
    expect(ed.saving).toBe(false);
  });

  it('marks the music track\'s sync report stale when the plan\'s accents change, until a new report arrives', async () => {
    const { api } = fakeApi(basePlan);
    const report = (plan: RhythmPlan, missed: number[]) => ({
      accentsKey: accentsKey(plan.accents), hitRate: 0.5, hits: 1,
      accents: plan.accents.map((a) => ({ time: a.timeSec, hit: !missed.includes(a.timeSec), nearestOnset: a.timeSec, offset: 0 })),
    });
    const g: GenerationInfo = { id: 'g1', clipId: clip.id, ordinal: 1, generator: 'composer', params: {}, seed: 1, files: [], syncReport: report(basePlan, [4]), createdAt: 0 };
    (api as unknown as Record<string, unknown>).getGenerationWaveform = async () => ({ durationSec: 0.2, levels: [{ perSecond: 10, min: Float32Array.of(0), max: Float32Array.of(0) }] });
    (api as unknown as Record<string, unknown>).listGenerations = async () => [g];
    const ed = new EditorState(api, clip);
    await ed.load();
    await ed.showMusic(g);
    expect(ed.musicFreshness).toEqual({ stale: false });
    expect(ed.music?.summary?.missedAccents).toEqual([4]);
    await ed.edit([{ kind: 'moveAccent', id: 'a2', toSec: 5 }], 'moved');
    expect(ed.musicFreshness).toEqual({ stale: true, reason: 'The plan changed after this was measured: 1 accent moved.' });
    // The report measured again against the edited plan replaces the old one on the track.
    ed.updateGeneration({ ...g, syncReport: report(ed.plan!.plan, [2]) });
    expect(ed.musicFreshness).toEqual({ stale: false });
    expect(ed.music?.summary?.missedAccents).toEqual([2]);
    expect(ed.generations[0]!.syncReport).toMatchObject({ accentsKey: accentsKey(ed.plan!.plan.accents) });
    ed.removeGeneration('g1');
    expect(ed.music).toBeNull();
    expect(ed.generations).toEqual([]);
  });

  it('does not call undo or redo when the engine says there is nothing to do', async () => {
    const { api, calls } = fakeApi(basePlan);
    const ed = new EditorState(api, clip);
    await ed.load();
    await ed.undo();
    await ed.redo();
    expect(calls).toEqual(['get']);
  });
});
