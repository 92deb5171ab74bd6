import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, migrations, ProjectStore } from '../../../electron/core/store/index.ts';
import { plan10s, probe10s, tempDir } from './store-fixtures.ts';

// What an app at schema version v would have written: each step adds rows for its new tables.
const seeds: Record<number, (db: Database.Database) => void> = {
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
  3(db) {
    const base = JSON.stringify(plan10s);
    const after = JSON.stringify({ ...plan10s, cuts: [1, 2, 5] });
    db.prepare('INSERT INTO rhythm_plans (clip_id, source, base_json, current_json, cursor, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run('c1', 'old', base, after, 1, 50);
    db.prepare('INSERT INTO plan_edits (clip_id, seq, edit_json, after_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run('c1', 1, JSON.stringify({ kind: 'addCut', atSec: 1 }), after, 50);
  },
  4(db) {
    db.prepare('INSERT INTO generations (id, clip_id, generator, params_json, seed, files_json, sync_report_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('g1', 'c1', 'composer', '{}', 3, JSON.stringify([{ role: 'mix', path: '/o.wav' }]), null, 60);
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
      for (let v = 1; v <= from; v++) seeds[v]!(old);
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
          expect(store.getPlan('c1')).toMatchObject({ editCount: 1, canUndo: true });
          expect(store.undo('c1').plan).toEqual(plan10s);
        }
        // Everything the latest schema offers works on the upgraded file.
        const p = from >= 1 ? 'p1' : store.createProject('New').id;
        const clip = from >= 1 ? store.getClip('c1') : store.addClip(p, { path: '/v.mp4', size: 1, mtimeMs: 1, contentHash: 'x'.repeat(64), probe: probe10s });
        if (!store.getPlan(clip.id)) store.setBasePlan(clip.id, plan10s, 'test');
        expect(store.applyEdit(clip.id, { kind: 'addAccent', atSec: 9 }).plan.accents).toContain(9);
        store.putAnalysis(clip.contentHash, 'waveform', 'video-1', Buffer.from([1]));
        const g = store.addGeneration({ clipId: clip.id, generator: 'composer', params: {}, seed: 1, files: [], syncReport: null });
        store.addExport({ projectId: p, generationId: g.id, kind: 'wav', path: '/x.wav' });
        expect(store.listGenerations(clip.id).length).toBe(from >= 4 ? 2 : 1);
      } finally {
        store.close();
      }
    });
  }
});
