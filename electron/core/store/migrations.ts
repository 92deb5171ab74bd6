import type { Database } from 'better-sqlite3';
import { deserialize } from 'node:v8';
import { isLegacyPlan, upgradeLegacyHistory, type AccentInfo, type LegacyEdit, type LegacyPlan } from './legacy-plans.ts';

/**
 * Forward-only schema history. Each step moves a database from `version - 1` to `version` and
 * runs in the same transaction as the `user_version` bump. Never edit a released step: add one.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'projects and clips',
    up(db) {
      db.exec(`
        CREATE TABLE projects (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE clips (
          id TEXT PRIMARY KEY,
          project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          path TEXT NOT NULL,
          size INTEGER NOT NULL,
          mtime_ms REAL NOT NULL,
          content_hash TEXT NOT NULL,
          probe_json TEXT NOT NULL,
          imported_at INTEGER NOT NULL
        );
        CREATE INDEX clips_project ON clips(project_id);
      `);
    },
  },
  {
    version: 2,
    description: 'analysis cache keyed by content hash and analyser version; recent projects',
    up(db) {
      db.exec(`
        CREATE TABLE analysis_cache (
          content_hash TEXT NOT NULL,
          part TEXT NOT NULL,
          analyser_version TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (content_hash, part, analyser_version)
        ) WITHOUT ROWID;
        ALTER TABLE projects ADD COLUMN opened_at INTEGER;
        CREATE INDEX clips_hash ON clips(content_hash);
      `);
    },
  },
  {
    version: 3,
    description: 'rhythm plans with persisted undo/redo history',
    up(db) {
      db.exec(`
        CREATE TABLE rhythm_plans (
          clip_id TEXT PRIMARY KEY REFERENCES clips(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          base_json TEXT NOT NULL,
          current_json TEXT NOT NULL,
          -- Number of edits in effect; rows above it are the redo stack.
          cursor INTEGER NOT NULL DEFAULT 0,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE plan_edits (
          clip_id TEXT NOT NULL REFERENCES rhythm_plans(clip_id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          edit_json TEXT NOT NULL,
          -- The plan after this edit, so undo and redo are one read.
          after_json TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (clip_id, seq)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: 'generations and exports',
    up(db) {
      db.exec(`
        CREATE TABLE generations (
          id TEXT PRIMARY KEY,
          clip_id TEXT NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
          generator TEXT NOT NULL,
          params_json TEXT NOT NULL,
          seed INTEGER NOT NULL,
          files_json TEXT NOT NULL,
          sync_report_json TEXT,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX generations_clip ON generations(clip_id);
        CREATE TABLE exports (
          id TEXT PRIMARY KEY,
          project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          generation_id TEXT REFERENCES generations(id) ON DELETE SET NULL,
          kind TEXT NOT NULL,
          path TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX exports_project ON exports(project_id);
      `);
    },
  },
  {
    version: 5,
    description: 'plan markers carry stable ids, kinds and strengths; edits address them by id',
    up(db) {
      upgradePlansToIds(db);
    },
  },
  {
    version: 6,
    description: 'editor timelines imported into a project, their media and the clip built from them',
    up(db) {
      db.exec(`
        CREATE TABLE timeline_imports (
          id TEXT PRIMARY KEY,
          project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          path TEXT NOT NULL,
          format TEXT NOT NULL,
          -- The timeline as read, with media paths as relinked since.
          timeline_json TEXT NOT NULL,
          warnings_json TEXT NOT NULL,
          -- The picture analysed for it (reference movie or conform); NULL until it exists.
          clip_id TEXT REFERENCES clips(id) ON DELETE SET NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX timeline_imports_project ON timeline_imports(project_id);
        CREATE INDEX timeline_imports_clip ON timeline_imports(clip_id);
      `);
    },
  },
  {
    version: 7,
    description: 'generations carry a per-clip number that never changes (labels stay true when others are added or deleted)',
    up(db) {
      // The clip remembers the last number it gave, so a deleted generation's number is never reused.
      db.exec(`
        ALTER TABLE generations ADD COLUMN ordinal INTEGER;
        ALTER TABLE clips ADD COLUMN last_generation_ordinal INTEGER NOT NULL DEFAULT 0;
        UPDATE generations SET ordinal = (
          SELECT COUNT(*) FROM generations g2 WHERE g2.clip_id = generations.clip_id
            AND (g2.created_at < generations.created_at OR (g2.created_at = generations.created_at AND g2.id <= generations.id))
        );
        UPDATE clips SET last_generation_ordinal = COALESCE((SELECT MAX(ordinal) FROM generations g WHERE g.clip_id = clips.id), 0);
        CREATE UNIQUE INDEX generations_clip_ordinal ON generations(clip_id, ordinal);
      `);
    },
  },
];

/** The analysis's own strengths and kinds for a plan's accents, when its full plan is cached. */
function knownAccents(db: Database, clipId: string, source: string): AccentInfo {
  const m = /^analysis:(.+)$/.exec(source);
  if (!m) return [];
  const row = db.prepare(`SELECT a.data FROM analysis_cache a JOIN clips c ON c.content_hash = a.content_hash
    WHERE c.id = ? AND a.part = 'plan' AND a.analyser_version = ?`).get(clipId, m[1]) as { data: Buffer } | undefined;
  if (!row) return [];
  try {
    const plan = deserialize(row.data) as { accents?: AccentInfo };
    return Array.isArray(plan.accents) ? plan.accents : [];
  } catch {
    return [];
  }
}

function upgradePlansToIds(db: Database): void {
  const plans = db.prepare('SELECT p.clip_id, p.source, p.base_json, p.current_json, p.cursor, c.probe_json FROM rhythm_plans p JOIN clips c ON c.id = p.clip_id').all() as Array<{
    clip_id: string; source: string; base_json: string; current_json: string; cursor: number; probe_json: string;
  }>;
  const editsOf = db.prepare('SELECT seq, edit_json, after_json FROM plan_edits WHERE clip_id = ? ORDER BY seq');
  const setEdit = db.prepare('UPDATE plan_edits SET edit_json = ?, after_json = ? WHERE clip_id = ? AND seq = ?');
  const dropEdits = db.prepare('DELETE FROM plan_edits WHERE clip_id = ?');
  const setPlan = db.prepare('UPDATE rhythm_plans SET base_json = ?, current_json = ?, cursor = ? WHERE clip_id = ?');
  for (const p of plans) {
    const base = JSON.parse(p.base_json) as unknown;
    if (!isLegacyPlan(base)) continue;
    const rows = editsOf.all(p.clip_id) as Array<{ seq: number; edit_json: string; after_json: string }>;
    const duration = (JSON.parse(p.probe_json) as { durationSec: number }).durationSec;
    const h = upgradeLegacyHistory(
      base,
      rows.map((r) => ({ edit: JSON.parse(r.edit_json) as LegacyEdit, after: JSON.parse(r.after_json) as LegacyPlan })),
      JSON.parse(p.current_json) as LegacyPlan,
      duration,
      knownAccents(db, p.clip_id, p.source),
    );
    if (h.replayed) {
      h.steps.forEach((s, i) => setEdit.run(JSON.stringify(s.edit), JSON.stringify(s.after), p.clip_id, rows[i]!.seq));
      const cursor = Math.min(p.cursor, h.steps.length);
      const current = cursor === 0 ? h.base : h.steps[cursor - 1]!.after;
      setPlan.run(JSON.stringify(h.base), JSON.stringify(current), cursor, p.clip_id);
    } else {
      dropEdits.run(p.clip_id);
      setPlan.run(JSON.stringify(h.base), JSON.stringify(h.base), 0, p.clip_id);
    }
  }
}

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/** Applies every step above the database's version, each in its own transaction. */
export function migrate(db: Database, target = LATEST_SCHEMA_VERSION): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    if (m.version !== current + 1) throw new Error(`Migration ${m.version} cannot follow schema version ${current}.`);
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}
