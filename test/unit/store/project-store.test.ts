import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore, StoreError } from '../../../electron/core/store/index.ts';
import { projectRoot } from '../../helpers/paths.ts';
import { plan10s, probe10s, tempDir, times } from './store-fixtures.ts';

describe('ProjectStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let store: ProjectStore;
  let clock: number;

  beforeEach(() => {
    tmp = tempDir('v2m-store-');
    file = path.join(tmp.dir, 'library.sqlite');
    clock = 1_000;
    store = ProjectStore.open(file, { now: () => ++clock });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  const newClip = (projectId: string, p = '/videos/a.mp4', hash = 'a'.repeat(64)) =>
    store.addClip(projectId, { path: p, size: 1234, mtimeMs: 5, contentHash: hash, probe: probe10s });

  it('runs in WAL mode with foreign keys', () => {
    store.close();
    store = ProjectStore.open(file);
    const db = (store as unknown as { db: { pragma(s: string, o: object): unknown } }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('opens with an explicit native binding (how Electron gets its own better-sqlite3 build)', () => {
    store.close();
    const binding = path.join(projectRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    store = ProjectStore.open(file, { nativeBinding: binding });
    expect(store.createProject('Bound').name).toBe('Bound');
    store.close();
    expect(() => ProjectStore.open(file, { nativeBinding: path.join(tmp.dir, 'missing.node') })).toThrow(/Cannot open the library/);
    store = ProjectStore.open(file);
  });

  it('creates projects and lists the most recently opened first', () => {
    const a = store.createProject('A');
    const b = store.createProject('B');
    expect(store.listRecentProjects().map((p) => p.name)).toEqual(['B', 'A']);
    store.openProject(a.id);
    expect(store.listRecentProjects().map((p) => p.name)).toEqual(['A', 'B']);
    expect(store.listRecentProjects(1)).toHaveLength(1);
    expect(() => store.getProject('missing')).toThrow(StoreError);
    expect(b.clipCount).toBe(0);
  });

  it('adds clips and refreshes a clip re-imported from the same path', () => {
    const p = store.createProject('P');
    const c1 = newClip(p.id);
    const c2 = newClip(p.id, '/videos/a.mp4', 'b'.repeat(64));
    expect(c2.id).toBe(c1.id);
    expect(c2.contentHash).toBe('b'.repeat(64));
    newClip(p.id, '/videos/b.mp4');
    expect(store.listClips(p.id).map((c) => c.path)).toEqual(['/videos/a.mp4', '/videos/b.mp4']);
    expect(store.getProject(p.id).clipCount).toBe(2);
    expect(store.getClip(c1.id).probe).toEqual(probe10s);
    expect(() => newClip('missing')).toThrow(/No project with id missing/);
  });

  it('keys the analysis cache by content hash and analyser version', () => {
    const p = store.createProject('P');
    const clip = newClip(p.id);
    store.putAnalysis(clip.contentHash, 'video', 'video-1', Buffer.from([1, 2, 3]));
    // The same bytes imported elsewhere (moved file) find the analysis.
    const moved = newClip(store.createProject('Q').id, '/elsewhere/renamed.mp4', clip.contentHash);
    expect([...store.getAnalysis(moved.contentHash, 'video', 'video-1')!]).toEqual([1, 2, 3]);
    expect(store.getAnalysis(moved.contentHash, 'video', 'video-2')).toBeNull();
    expect(store.getAnalysis('c'.repeat(64), 'video', 'video-1')).toBeNull();
    expect(store.listAnalysis(clip.contentHash).map((a) => `${a.part}@${a.analyserVersion}`)).toEqual(['video@video-1']);
  });

  it('applies edits, undoes and redoes them, and a new edit drops the redo stack', () => {
    const clip = newClip(store.createProject('P').id);
    expect(store.getPlan(clip.id)).toBeNull();
    expect(() => store.applyEdit(clip.id, { kind: 'addCut', atSec: 1 })).toThrow(/analyse it first/);
    store.setBasePlan(clip.id, plan10s, 'test');
    store.applyEdit(clip.id, { kind: 'addCut', atSec: 1 });
    const s2 = store.applyEdit(clip.id, { kind: 'deleteAccent', id: 'a1' });
    expect(s2).toMatchObject({ editCount: 2, canUndo: true, canRedo: false });
    expect(times(s2.plan.cuts)).toEqual([1, 2, 5]);
    expect(s2.plan.cuts[0]).toEqual({ id: 'c3', timeSec: 1, kind: 'user' });
    expect(s2.plan.accents.map((a) => a.id)).toEqual(['a2', 'a3']);

    const u1 = store.undo(clip.id);
    expect(u1.plan.accents).toEqual(plan10s.accents);
    expect(u1).toMatchObject({ editCount: 1, canUndo: true, canRedo: true });
    const u2 = store.undo(clip.id);
    expect(u2.plan).toEqual(plan10s);
    expect(() => store.undo(clip.id)).toThrow(/no edit to undo/);
    expect(times(store.redo(clip.id).plan.cuts)).toEqual([1, 2, 5]);

    const branched = store.applyEdit(clip.id, { kind: 'lockTempo', bpm: 100 });
    expect(branched).toMatchObject({ editCount: 2, canRedo: false });
    expect(() => store.redo(clip.id)).toThrow(/no undone edit to redo/);
    expect(branched.plan.accents).toEqual(plan10s.accents);
  });

  it('stores a multi-selection batch as one edit and one undo step, or refuses it whole', () => {
    const clip = newClip(store.createProject('P').id);
    store.setBasePlan(clip.id, plan10s, 'test');
    // Ids, not positions: the order of the deletes does not matter.
    const s = store.applyEdit(clip.id, { kind: 'batch', edits: [{ kind: 'deleteAccent', id: 'a1' }, { kind: 'deleteAccent', id: 'a3' }, { kind: 'addCut', atSec: 9 }] });
    expect(s.plan.accents.map((a) => a.id)).toEqual(['a2']);
    expect(times(s.plan.cuts)).toEqual([2, 5, 9]);
    expect(s).toMatchObject({ editCount: 1 });
    expect(store.undo(clip.id).plan).toEqual(plan10s);
    store.redo(clip.id);
    expect(() => store.applyEdit(clip.id, { kind: 'batch', edits: [{ kind: 'addCut', atSec: 8 }, { kind: 'deleteCut', id: 'c42' }] })).toThrow(/no cut with id "c42"/);
    expect(store.getPlan(clip.id)).toMatchObject({ editCount: 1 });
    expect(times(store.getPlan(clip.id)!.plan.cuts)).toEqual([2, 5, 9]);
  });

  it('resets to the base plan as one undoable step', () => {
    const clip = newClip(store.createProject('P').id);
    store.setBasePlan(clip.id, plan10s, 'test');
    store.applyEdit(clip.id, { kind: 'addCut', atSec: 1 });
    store.applyEdit(clip.id, { kind: 'addCut', atSec: 3 });
    const r = store.reset(clip.id);
    expect(r.plan).toEqual(plan10s);
    expect(r).toMatchObject({ editCount: 3, canUndo: true, canRedo: false });
    // One undo brings every edit back at once; redo resets again.
    expect(times(store.undo(clip.id).plan.cuts)).toEqual([1, 2, 3, 5]);
    expect(store.redo(clip.id).plan).toEqual(plan10s);
    // Resetting a plan that already is the base records nothing.
    expect(store.reset(clip.id)).toMatchObject({ editCount: 3, canRedo: false });
    expect(store.planHistory(clip.id).edits.map((e) => e.kind)).toEqual(['addCut', 'addCut', 'reset']);
    // A reset survives a restart like any edit, and a new edit after it branches from the base.
    store.close();
    store = ProjectStore.open(file);
    expect(times(store.applyEdit(clip.id, { kind: 'addCut', atSec: 8 }).plan.cuts)).toEqual([2, 5, 8]);
  });

  it('keeps the edit history across a restart', () => {
    const clip = newClip(store.createProject('P').id);
    store.setBasePlan(clip.id, plan10s, 'test');
    store.applyEdit(clip.id, { kind: 'addAccent', atSec: 8 });
    store.applyEdit(clip.id, { kind: 'setOdf', startIndex: 0, values: [1] });
    store.undo(clip.id);
    store.close();
    store = ProjectStore.open(file);
    const s = store.getPlan(clip.id)!;
    expect(s).toMatchObject({ editCount: 1, canUndo: true, canRedo: true });
    expect(times(s.plan.accents)).toEqual([1, 3.5, 7, 8]);
    expect(store.redo(clip.id).plan.odf[0]).toBe(1);
  });

  it('rolls a refused edit back completely', () => {
    const clip = newClip(store.createProject('P').id);
    store.setBasePlan(clip.id, plan10s, 'test');
    store.applyEdit(clip.id, { kind: 'addCut', atSec: 1 });
    store.undo(clip.id);
    expect(() => store.applyEdit(clip.id, { kind: 'deleteCut', id: 'c9' })).toThrow(StoreError);
    // The failed edit did not truncate the redo stack.
    expect(store.getPlan(clip.id)).toMatchObject({ editCount: 0, canRedo: true });
  });

  it('records generations and exports', () => {
    const p = store.createProject('P');
    const clip = newClip(p.id);
    const g = store.addGeneration({ clipId: clip.id, generator: 'composer', params: { style: 'pop' }, seed: 7, files: [{ role: 'mix', path: '/out/mix.wav' }], syncReport: { bcs: 0.8 } });
    expect(store.listGenerations(clip.id)).toEqual([g]);
    expect(g).toMatchObject({ generator: 'composer', seed: 7, params: { style: 'pop' }, syncReport: { bcs: 0.8 } });
    const e = store.addExport({ projectId: p.id, generationId: g.id, kind: 'mp4', path: '/out/scored.mp4' });
    expect(store.listExports(p.id)).toEqual([e]);
    expect(() => store.getGeneration('nope')).toThrow(/No generated music/);
  });

  it('numbers a clip\'s generations once: adding or deleting one never renumbers the others', () => {
    const p = store.createProject('P');
    const clip = newClip(p.id);
    const other = store.addClip(p.id, { path: '/other.mp4', size: 1, mtimeMs: 1, contentHash: 'o'.repeat(64), probe: probe10s });
    const add = (clipId: string, seed: number) => store.addGeneration({ clipId, generator: 'composer', params: {}, seed, files: [], syncReport: null });
    const [g1, g2, g3] = [add(clip.id, 1), add(clip.id, 2), add(clip.id, 3)];
    expect([g1.ordinal, g2.ordinal, g3.ordinal]).toEqual([1, 2, 3]);
    // Each clip counts its own.
    expect(add(other.id, 9).ordinal).toBe(1);
    store.deleteGeneration(g2.id);
    // The newest was deleted too: its number is not handed out again.
    store.deleteGeneration(g3.id);
    const g4 = add(clip.id, 4);
    expect(store.listGenerations(clip.id).map((g) => [g.seed, g.ordinal])).toEqual([[4, 4], [1, 1]]);
    expect(g4.ordinal).toBe(4);
    expect(() => store.deleteGeneration(g2.id)).toThrow(/No generated music/);
    // A report measured again replaces the stored one.
    expect(store.setSyncReport(g1.id, { hitRate: 0.5 }).syncReport).toEqual({ hitRate: 0.5 });
  });
});
