#!/usr/bin/env node
// Downloads Electron's binary when it is missing, and never fails the install: without internet
// `npm start` falls back to the browser bridge. npm ≥ 11.19 skips electron's own postinstall
// (allowScripts in package.json), so this is where a user's machine gets the binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The Electron executable's path, or undefined when the binary is not there. */
export function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Tries once to download the binary; returns its path or undefined. Quiet unless verbose. */
export function fetchElectronBinary({ verbose = false, timeoutMs = 10 * 60_000 } = {}) {
  const existing = electronBinary();
  if (existing) return existing;
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return undefined;
  let installer;
  try {
    installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return undefined; // electron not installed at all (production install without devDependencies)
  }
  const r = spawnSync(process.execPath, [installer], {
    stdio: verbose ? 'inherit' : 'pipe',
    timeout: timeoutMs,
    env: process.env,
  });
  if (r.status === 0) return electronBinary();
  return undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bin = fetchElectronBinary({ verbose: process.argv.includes('--verbose') });
  if (bin) console.log(`Electron binary: ${bin}`);
  else {
    console.log(
      'V2M Studio: the Electron binary was not downloaded (offline, or ELECTRON_SKIP_BINARY_DOWNLOAD is set).\n' +
        '`npm start` will serve the app to your browser instead; run `npm run fetch:electron` to retry.',
    );
  }
  process.exit(0);
}
