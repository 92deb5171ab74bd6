import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, ProjectStore, StoreError } from '../../../electron/core/store/index.ts';
import { projectRoot } from '../../helpers/paths.ts';
import { tempDir } from './store-fixtures.ts';

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) out[f] = createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex');
  return out;
}

function expectStoreError(fn: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the store to refuse').toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  expect((caught as StoreError).message).toMatch(message);
}

/** A real library with some content, closed cleanly (no WAL left). */
function makeLibrary(file: string): void {
  const s = ProjectStore.open(file);
  const p = s.createProject('Mine');
  for (let i = 0; i < 200; i++) s.putAnalysis(`${i}`.padStart(64, '0'), 'video', 'v1', Buffer.alloc(2000, i));
  s.listRecentProjects();
  expect(p.name).toBe('Mine');
  s.close();
}

describe('opening a library that cannot be used', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('v2m-open-');
  });
  afterEach(() => {
    chmodSync(tmp.dir, 0o755);
    tmp.cleanup();
  });

  it('refuses a library from a newer app version and leaves it untouched', () => {
    const file = path.join(tmp.dir, 'library.sqlite');
    makeLibrary(file);
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
    db.close();
    const before = snapshot(tmp.dir);
    expectStoreError(() => ProjectStore.open(file), 'NEWER_VERSION', new RegExp(`newer version of V2M Studio \\(library format ${LATEST_SCHEMA_VERSION + 3}.*Update V2M Studio`));
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  it('refuses a file that is not a SQLite database', () => {
    const file = path.join(tmp.dir, 'library.sqlite');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(50));
    const before = snapshot(tmp.dir);
    expectStoreError(() => ProjectStore.open(file), 'CORRUPT', /damaged or is not a V2M Studio database.*SQLite header.*left untouched/);
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  it('refuses a database whose pages are damaged', () => {
    const file = path.join(tmp.dir, 'library.sqlite');
    makeLibrary(file);
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    // Scribble over the middle pages (B-tree structure), keeping the header intact.
    writeSync(fd, Buffer.alloc(Math.floor(size / 2), 0xa5), 0, Math.floor(size / 2), 4096);
    closeSync(fd);
    const before = snapshot(tmp.dir);
    expectStoreError(() => ProjectStore.open(file), 'CORRUPT', /is damaged/);
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  it('refuses a truncated database', () => {
    const whole = path.join(tmp.dir, 'whole.sqlite');
    makeLibrary(whole);
    const file = path.join(tmp.dir, 'library.sqlite');
    copyFileSync(whole, file);
    const buf = readFileSync(file);
    writeFileSync(file, buf.subarray(0, Math.floor(buf.length / 3)));
    const before = snapshot(tmp.dir);
    expectStoreError(() => ProjectStore.open(file), 'CORRUPT', /is damaged/);
    expect(snapshot(tmp.dir)).toEqual(before);
  });

  it('refuses a folder in place of the library file', () => {
    const file = path.join(tmp.dir, 'library.sqlite');
    mkdirSync(file);
    expectStoreError(() => ProjectStore.open(file), 'CANNOT_OPEN', /is a folder/);
  });

  // Root ignores file permissions, so as root the check runs in a child as an unprivileged user.
  it('reports a read-only location clearly and leaves the file untouched', () => {
    const existing = path.join(tmp.dir, 'ro', 'library.sqlite');
    mkdirSync(path.dirname(existing));
    makeLibrary(existing);
    const fresh = path.join(tmp.dir, 'ro-empty', 'library.sqlite');
    mkdirSync(path.dirname(fresh));
    for (const d of [path.dirname(existing), path.dirname(fresh)]) chmodSync(d, 0o555);
    chmodSync(existing, 0o444);
    chmodSync(tmp.dir, 0o755);
    const before = snapshot(path.dirname(existing));

    const script = `
      const { ProjectStore } = await import(${JSON.stringify(path.join(projectRoot, 'electron/core/store/index.ts'))});
      const out = [];
      for (const f of process.argv.slice(1)) {
        try { ProjectStore.open(f).close(); out.push({ ok: true }); }
        catch (e) { out.push({ code: e.code, message: e.message }); }
      }
      console.log(JSON.stringify(out));`;
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, existing, fresh], {
      cwd: projectRoot,
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmp.dir } } : {}),
    });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout.trim().split('\n').pop()!) as Array<{ code?: string; message?: string }>;
    for (const res of results) {
      expect(res.code).toBe('READ_ONLY');
      expect(res.message).toMatch(/read-only\. Choose a writable location/);
    }
    expect(snapshot(path.dirname(existing))).toEqual(before);
    expect(readdirSync(path.dirname(fresh))).toEqual([]);
  });
});
