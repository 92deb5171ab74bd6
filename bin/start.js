#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, otherwise the browser bridge.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { electronBinary, fetchElectronBinary } from '../scripts/fetch-electron.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * better-sqlite3 in node_modules is built for Node's ABI (tests, CLI, bridge); Electron needs its
 * own build. Fetch the prebuilt one for this Electron once, into a separate folder, so both work.
 */
function electronSqliteBinding() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const dir = process.env.V2M_ELECTRON_NATIVE_DIR ?? path.join(root, 'node_modules', '.v2m-electron');
  const target = path.join(dir, `better_sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}.node`);
  if (existsSync(target)) return target;
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'v2m-sqlite-'));
  try {
    cpSync(source, work, { recursive: true, filter: (p) => path.relative(source, p).split(path.sep)[0] !== 'build' });
    console.log(`Fetching better-sqlite3 for Electron ${electronVersion}…`);
    const r = spawnSync(
      process.execPath,
      [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
      { cwd: work, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: 300_000 },
    );
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) {
      const why = (r.stderr ?? '').split('\n').find((l) => l.trim()) ?? r.error?.message ?? `exit code ${r.status}`;
      console.log(`Could not get better-sqlite3 for Electron (${why.trim()}).`);
      return null;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    // Written under a temporary name and renamed, so a half-copied binary is never picked up.
    copyFileSync(built, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

let electron = process.env.V2M_BROWSER ? null : electronBinary() ?? null;
if (!electron && !process.env.V2M_BROWSER && !process.env.V2M_NO_ELECTRON_DOWNLOAD) {
  console.log('Electron binary missing; trying to download it once (set V2M_BROWSER=1 to skip)…');
  electron = fetchElectronBinary({ timeoutMs: 300_000 }) ?? null;
  if (!electron) console.log('Could not download Electron (offline?); using the browser bridge instead.');
}

const sqliteBinding = electron ? electronSqliteBinding() : null;
if (electron && !sqliteBinding) console.log('The desktop app cannot open its library without it; using the browser bridge instead.');

if (electron && sqliteBinding) {
  const child = spawn(electron, [root, ...process.argv.slice(2)], {
    stdio: 'inherit',
    windowsHide: false,
    env: { ...process.env, V2M_SQLITE_BINDING: sqliteBinding },
  });
  // Ctrl+C reaches Electron through the terminal; forward kill signals from process managers.
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
} else {
  const { ensureBuilt } = await import('../scripts/build-app.js');
  const out = await ensureBuilt({ quiet: false });
  const { runBridge } = await import(pathToFileURL(path.join(out, 'server', 'run-bridge.js')).href);
  await runBridge();
}
