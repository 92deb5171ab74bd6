import Database from 'better-sqlite3';
import { serialize } from 'node:v8';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, migrations, ProjectStore } from '../../../electron/core/store/index.ts';
import { plan10s, probe10s, tempDir, times } from './store-fixtures.ts';

// Before schema 5 a plan kept bare times and edits named markers by position.
const legacy10s = { cuts: [2, 5], accents: [1, 3.5, 7], odf: plan10s.odf, tempo: null };

// What an app at schema version v would have written: each step adds rows for its new tables.
// `from` is the schema the app wrote at: from 5 on, plans are written in id form.
const seeds: Record<number, (db: Database.Database, from: number) => void> = {
  1(db) {
    db.prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('p1', 'Old project', 10, 20);
    db.prepare('INSERT INTO clips (id, project_id, path, size, mtime_ms, content_hash, probe_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('c1', 'p1', '/videos/old.mp4', 99, 1.5, 'h'.repeat(64), JSON.stringify(probe10s), 15);
  },
  2(db) {
    db.prepare('INSERT INTO analysis_cache (content_hash, part, analyser_version, created_at, data) VALUES (?, ?, ?, ?, ?)')
      .run('h'.repeat(64), 'video', 'video-1', 30, Buffer.from('cached'));
    db.prepare('UPDATE projects SET opened_at = 40 WHERE id = ?').run('p1');
  },
  3(db, from) {
    const ids = from >= 5;
    const base = ids ? { ...plan10s, accents: plan10s.accents.map((a) => (a.id === 'a3' ? a : { ...a, strength: a.id === 'a1' ? 0.4 : 0.9 })) } : legacy10s;
    const after1 = ids ? { ...plan10s, cuts: [{ id: 'c3', timeSec: 1, kind: 'user' }, ...plan10s.cuts] } : { ...legacy10s, cuts: [1, 2, 5] };
    const after2 = ids
      ? { ...after1, accents: [plan10s.accents[1], { ...plan10s.accents[0], timeSec: 4 }, plan10s.accents[2]] }
      : { ...after1, accents: [3.5, 4, 7] };
    db.prepare('INSERT INTO rhythm_plans (clip_id, source, base_json, current_json, cursor, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run('c1', 'analysis:video-1', JSON.stringify(base), JSON.stringify(after2), 2, 50);
    const edit = db.prepare('INSERT INTO plan_edits (clip_id, seq, edit_json, after_json, created_at) VALUES (?, ?, ?, ?, ?)');
    edit.run('c1', 1, JSON.stringify({ kind: 'addCut', atSec: 1 }), JSON.stringify(after1), 50);
    // Accent 0 (at 1 s) moved to 4 s: after the move it sits at position 1.
    edit.run('c1', 2, JSON.stringify(ids ? { kind: 'moveAccent', id: 'a1', toSec: 4 } : { kind: 'moveAccent', index: 0, toSec: 4 }), JSON.stringify(after2), 51);
    // The analysis's full plan, which knows the accents' strengths and kinds.
    db.prepare('INSERT INTO analysis_cache (content_hash, part, analyser_version, created_at, data) VALUES (?, ?, ?, ?, ?)')
      .run('h'.repeat(64), 'plan', 'video-1', 30, serialize({ accents: [{ timeSec: 1, strength: 0.4, kind: 'visual-beat' }, { timeSec: 3.5, strength: 0.9, kind: 'cut' }] }));
  },
  4(db) {
    db.prepare('INSERT INTO generations (id, clip_id, generator, params_json, seed, files_json, sync_report_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('g1', 'c1', 'composer', '{}', 3, JSON.stringify([{ role: 'mix', path: '/o.wav' }]), null, 60);
  },
  5(db) {
    db.prepare('INSERT INTO clips (id, project_id, path, size, mtime_ms, content_hash, probe_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('c2', 'p1', '/videos/new.mp4', 9, 1, 'n'.repeat(64), JSON.stringify(probe10s), 70);
    db.prepare('INSERT INTO rhythm_plans (clip_id, source, base_json, current_json, cursor, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run('c2', 'test', JSON.stringify(plan10s), JSON.stringify(plan10s), 0, 70);
  },
  6(db) {
    db.prepare('INSERT INTO timeline_imports (id, project_id, path, format, timeline_json, warnings_json, clip_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('t1', 'p1', '/edits/cut.fcpxml', 'fcpxml', '{"name":"Cut"}', '[]', 'c2', 80, 80);
  },
  7(db) {
    db.prepare('INSERT INTO generations (id, clip_id, generator, params_json, seed, files_json, sync_report_json, created_at, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('g7', 'c2', 'composer', '{}', 5, '[]', null, 90, 1);
    db.prepare('UPDATE clips SET last_generation_ordinal = 1 WHERE id = ?').run('c2');
  },
};

describe('schema migrations', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('v2m-migrate-');
  });
  afterEach(() => tmp.cleanup());

  it('numbers its steps 1, 2, 3, … and seeds cover every step', () => {
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    for (const m of migrations) expect(seeds[m.version], `seed for version ${m.version}`).toBeTypeOf('function');
  });

  for (let from = 0; from < LATEST_SCHEMA_VERSION; from++) {
    it(`upgrades a library written at version ${from} without losing data`, () => {
      const file = path.join(tmp.dir, `v${from}.sqlite`);
      const old = new Database(file);
      old.pragma('journal_mode = WAL');
      expect(migrate(old, from)).toBe(from);
      for (let v = 1; v <= from; v++) seeds[v]!(old, from);
      old.close();

      const store = ProjectStore.open(file);
      try {
        expect(store.integrityCheck()).toEqual(['ok']);
        const db = new Database(file, { readonly: true });
        expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
        db.close();
        if (from >= 1) {
          expect(store.getProject('p1').name).toBe('Old project');
          expect(store.getClip('c1').probe).toEqual(probe10s);
        }
        if (from >= 2) {
          expect(store.getAnalysis('h'.repeat(64), 'video', 'video-1')?.toString()).toBe('cached');
          expect(store.getProject('p1').openedAt).toBe(40);
        }
        if (from >= 3) {
          // The legacy plan and its history now speak ids; the moved accent kept what the analysis said of it.
          const now = store.getPlan('c1')!;
          expect(now).toMatchObject({ editCount: 2, canUndo: true, source: 'analysis:video-1' });
          expect(now.plan.cuts).toEqual([{ id: 'c3', timeSec: 1, kind: 'user' }, { id: 'c1', timeSec: 2, kind: 'detected' }, { id: 'c2', timeSec: 5, kind: 'detected' }]);
          expect(now.plan.accents).toEqual([
            { id: 'a2', timeSec: 3.5, strength: 0.9, kind: 'cut' },
            { id: 'a1', timeSec: 4, strength: 0.4, kind: 'visual-beat' },
            { id: 'a3', timeSec: 7, strength: 1, kind: 'user' },
          ]);
          expect(store.planHistory('c1').edits[1]).toEqual({ kind: 'moveAccent', id: 'a1', toSec: 4 });
          expect(times(store.undo('c1').plan.accents)).toEqual([1, 3.5, 7]);
          const base = store.undo('c1').plan;
          expect(base.cuts.map((c) => c.id)).toEqual(['c1', 'c2']);
          expect(base.odf).toEqual(plan10s.odf);
          expect(times(store.redo('c1').plan.cuts)).toEqual([1, 2, 5]);
        }
        if (from >= 5) expect(store.getPlan('c2')!.plan).toEqual(plan10s);
        // Everything the latest schema offers works on the upgraded file.
        const p = from >= 1 ? 'p1' : store.createProject('New').id;
        const clip = from >= 1 ? store.getClip('c1') : store.addClip(p, { path: '/v.mp4', size: 1, mtimeMs: 1, contentHash: 'x'.repeat(64), probe: probe10s });
        if (!store.getPlan(clip.id)) store.setBasePlan(clip.id, plan10s, 'test');
        expect(times(store.applyEdit(clip.id, { kind: 'addAccent', atSec: 9 }).plan.accents)).toContain(9);
        store.putAnalysis(clip.contentHash, 'waveform', 'video-1', Buffer.from([1]));
        const g = store.addGeneration({ clipId: clip.id, generator: 'composer', params: {}, seed: 1, files: [], syncReport: null });
        store.addExport({ projectId: p, generationId: g.id, kind: 'wav', path: '/x.wav' });
        expect(store.listGenerations(clip.id).length).toBe(from >= 4 ? 2 : 1);
        // Generations stored before numbers existed get them in the order they were made; new ones follow.
        expect(store.listGenerations(clip.id).map((x) => x.ordinal)).toEqual(from >= 4 ? [2, 1] : [1]);
        if (from >= 7) expect(store.listGenerations('c2').map((x) => x.ordinal)).toEqual([1]);
      } finally {
        store.close();
      }
    });
  }

  it('collapses a legacy history that cannot be replayed into the plan the user last saw', () => {
    const file = path.join(tmp.dir, 'damaged.sqlite');
    const old = new Database(file);
    migrate(old, 4);
    seeds[1]!(old, 4);
    const current = { ...legacy10s, accents: [1, 7] };
    old.prepare('INSERT INTO rhythm_plans (clip_id, source, base_json, current_json, cursor, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run('c1', 'old', JSON.stringify(legacy10s), JSON.stringify(current), 1, 50);
    // Position 5 never existed: the replay cannot say which marker was meant.
    old.prepare('INSERT INTO plan_edits (clip_id, seq, edit_json, after_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run('c1', 1, JSON.stringify({ kind: 'deleteAccent', index: 5 }), JSON.stringify(current), 50);
    old.close();
    const store = ProjectStore.open(file);
    try {
      const s = store.getPlan('c1')!;
      expect(s).toMatchObject({ editCount: 0, canUndo: false, canRedo: false });
      expect(s.plan.accents).toEqual([{ id: 'a1', timeSec: 1, strength: 1, kind: 'user' }, { id: 'a2', timeSec: 7, strength: 1, kind: 'user' }]);
    } finally {
      store.close();
    }
  });
});
