import type { Database } from 'better-sqlite3';

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
];

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
