import Database, { type Database as Db } from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors.ts';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.ts';

const SQLITE_HEADER = 'SQLite format 3\0';

function sqliteCode(err: unknown): string {
  return typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
}

function leftAlone(file: string): string {
  return `The file was left untouched: ${file}`;
}

function corrupt(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'CORRUPT',
    `The V2M Studio library ${file} is damaged or is not a V2M Studio database (${detail}). ` +
      `Restore it from a backup, or move it aside and the app will start a new library. ${leftAlone(file)}`,
    { cause },
  );
}

function readOnly(file: string, cause?: unknown): StoreError {
  return new StoreError(
    'READ_ONLY',
    `Cannot save to ${file}: the file or its folder is read-only. Choose a writable location (V2M_DATA_DIR) or fix the permissions. ${leftAlone(file)}`,
    { cause },
  );
}

/**
 * Inspects an existing file from its header alone, without SQLite: is it a SQLite database, and
 * from this or an older app version? Nothing is created or written next to the user's file.
 */
function preflight(file: string): void {
  const st = statSync(file);
  if (st.isDirectory()) throw new StoreError('CANNOT_OPEN', `${file} is a folder, not a V2M Studio library file.`);
  if (st.size === 0) return;
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let got: number;
  try {
    got = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (got < 100 || header.toString('latin1', 0, 16) !== SQLITE_HEADER) throw corrupt(file, 'it does not start with the SQLite header');
  // The schema version is PRAGMA user_version, stored big-endian at offset 60 of the header.
  const version = header.readUInt32BE(60);
  if (version > LATEST_SCHEMA_VERSION) {
    throw new StoreError(
      'NEWER_VERSION',
      `${file} was saved by a newer version of V2M Studio (library format ${version}; this version reads up to ${LATEST_SCHEMA_VERSION}). ` +
        `Update V2M Studio to open it. ${leftAlone(file)}`,
    );
  }
}

/** Checks the pages before anything is written; a damaged library is refused, not "repaired". */
function checkIntegrity(db: Db, file: string): void {
  let rows: Array<{ quick_check: string }>;
  try {
    rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  } catch (err) {
    throw corrupt(file, (err as Error).message, err);
  }
  if (rows.length !== 1 || rows[0]!.quick_check !== 'ok') throw corrupt(file, `integrity check: ${rows[0]?.quick_check ?? 'no answer'}`);
}

/**
 * Opens (creating if needed) the library database: WAL, full sync, foreign keys, migrated.
 * `nativeBinding` points at a better-sqlite3 build for another runtime (Electron's ABI).
 */
export function openDatabase(file: string, opts: { nativeBinding?: string } = {}): Db {
  const dir = path.dirname(file);
  if (existsSync(file)) {
    preflight(file);
    try {
      accessSync(file, constants.W_OK);
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw readOnly(file, err);
    }
  } else {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw readOnly(file, err);
      throw new StoreError('CANNOT_OPEN', `Cannot create the library folder ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  let db: Db | undefined;
  try {
    db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    db.pragma('busy_timeout = 5000');
    checkIntegrity(db, file);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new StoreError('CANNOT_OPEN', `${file} could not be switched to WAL mode (got "${String(mode)}").`);
    // FULL: an acknowledged edit survives a crash of the app and of the machine.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) {
      throw new StoreError('NEWER_VERSION', `${file} was saved by a newer version of V2M Studio (library format ${version}). Update V2M Studio to open it. ${leftAlone(file)}`);
    }
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof StoreError) throw err;
    const code = sqliteCode(err);
    if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') throw readOnly(file, err);
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') throw corrupt(file, (err as Error).message, err);
    throw new StoreError('CANNOT_OPEN', `Cannot open the library ${file}: ${(err as Error).message}`, { cause: err });
  }
}
