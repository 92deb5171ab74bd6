#!/usr/bin/env node
// Downloads ffmpeg-static's binary when it is missing, and never fails the install. Its own
// install script fetches the binary from GitHub and fails the whole `npm install` without
// internet, so package.json's allowScripts turns it off (npm ≥ 11.19) and the project's
// postinstall runs it here instead, once, quietly. Without it ffmpeg comes from
// @ffmpeg-installer, which ships its binary inside the npm package. Prints one line: which ffmpeg
// the app will run. `npm run fetch:ffmpeg` retries with the download's own output.
//
// ffmpeg-static's install.js honours FFMPEG_BINARIES_URL (a mirror of its GitHub releases),
// FFMPEG_BINARY_RELEASE (another release tag), HTTPS_PROXY / HTTP_PROXY, and
// npm_config_platform / npm_config_arch (a binary for another platform).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export function isExecutableFile(p) {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** ffmpeg-static's folder and version, or undefined when the optional dependency is not installed. */
export function ffmpegStaticPackage() {
  try {
    const pkgJson = require.resolve('ffmpeg-static/package.json');
    return { dir: path.dirname(pkgJson), version: JSON.parse(readFileSync(pkgJson, 'utf8')).version };
  } catch {
    return undefined;
  }
}

/** Where ffmpeg-static's install script writes the binary (electron/core/media/binaries.ts looks there). */
export function ffmpegStaticBinary(dir) {
  return path.join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
}

/** A binary for another platform (npm_config_platform/arch, as when packaging) cannot be run here to check it. */
function buildsForThisHost() {
  const platform = process.env.npm_config_platform || process.platform;
  const arch = process.env.npm_config_arch || process.arch;
  return platform === process.platform && arch === process.arch;
}

/** Runs `ffmpeg -version`; returns its version word, or undefined when the binary does not run. */
function runsAs(bin) {
  const r = spawnSync(bin, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 30_000, windowsHide: true });
  if (r.status !== 0) return undefined;
  return /version\s+(\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/** The binary as it is now: usable (with its version), or removed when a cut-short download left it unusable. */
function checkBinary(bin) {
  if (!existsSync(bin)) return { ok: false };
  if (isExecutableFile(bin)) {
    if (!buildsForThisHost()) return { ok: true, version: undefined };
    const version = runsAs(bin);
    if (version) return { ok: true, version };
  }
  // install.js makes the file executable only after a complete download, and says "installed
  // already" for any file it finds: remove the leftover so the next try downloads again.
  rmSync(bin, { force: true });
  return { ok: false, removed: true };
}

/** The first line of install.js's error output worth showing ("getaddrinfo ENOTFOUND github.com"). */
function reason(r) {
  if (r.error) return r.error.code === 'ETIMEDOUT' ? 'the download timed out' : r.error.message;
  const text = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = text.find((l) => /Error|ENOTFOUND|ECONN|status|failed/i.test(l)) ?? text[0];
  return line ? line.replace(/^Error:\s*/, '') : `its install script exited with ${r.status ?? r.signal}`;
}

/**
 * Makes sure ffmpeg-static's binary is there, downloading it once when it is not.
 * Returns { binary, version, package } when it is usable, or { problem } saying why not.
 */
export function fetchFfmpegStatic({ verbose = false, timeoutMs = 10 * 60_000, pkg = ffmpegStaticPackage() } = {}) {
  if (!pkg) return { problem: 'ffmpeg-static is not installed (an optional dependency)' };
  const bin = ffmpegStaticBinary(pkg.dir);
  const before = checkBinary(bin);
  if (before.ok) return { binary: bin, version: before.version, package: pkg };
  // FFMPEG_BIN makes ffmpeg-static's index.js (which install.js asks where to write) point elsewhere.
  const env = { ...process.env };
  delete env.FFMPEG_BIN;
  const r = spawnSync(process.execPath, [path.join(pkg.dir, 'install.js')], {
    cwd: pkg.dir,
    env,
    stdio: verbose ? 'inherit' : 'pipe',
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  const after = checkBinary(bin);
  if (after.ok) return { binary: bin, version: after.version, package: pkg };
  if (after.removed) return { problem: "ffmpeg-static's download did not give a working binary (removed it)" };
  return { problem: `ffmpeg-static's download failed (${verbose ? 'see above' : reason(r)})` };
}

/** The ffmpeg the app will run, in the order electron/core/media/binaries.ts resolves it (after ffmpeg-static). */
export function fallbackFfmpeg(env = process.env) {
  if (env.V2M_FFMPEG) return { source: 'override', path: env.V2M_FFMPEG, words: `V2M_FFMPEG=${env.V2M_FFMPEG}` };
  try {
    const p = require('@ffmpeg-installer/ffmpeg').path;
    if (p && isExecutableFile(p)) return { source: 'bundled', path: p, words: `@ffmpeg-installer's (${p})` };
  } catch {
    // not available on this platform: PATH next
  }
  const exe = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, exe))) return { source: 'path', path: path.join(dir, exe), words: `the one on PATH (${path.join(dir, exe)})` };
  }
  return undefined;
}

/** The one line the install prints. */
export function choiceLine(fetched, env = process.env) {
  const retry = 'npm run fetch:ffmpeg retries';
  if (env.V2M_FFMPEG) {
    const statics = fetched.binary ? `ffmpeg-static's is installed too` : `${fetched.problem}; ${retry}`;
    return `V2M Studio: ffmpeg is V2M_FFMPEG=${env.V2M_FFMPEG} while that is set (${statics}).`;
  }
  if (fetched.binary) return `V2M Studio: ffmpeg is ffmpeg-static ${fetched.package.version}'s${fetched.version ? ` ${fetched.version}` : ''} (${fetched.binary}).`;
  const fallback = fallbackFfmpeg(env);
  if (!fallback) return `V2M Studio: ${fetched.problem}, and no other ffmpeg was found (@ffmpeg-installer, PATH): set V2M_FFMPEG, or ${retry}.`;
  return `V2M Studio: ${fetched.problem}, so ffmpeg is ${fallback.words}; ${retry}.`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(choiceLine(fetchFfmpegStatic({ verbose: process.argv.includes('--verbose') })));
  } catch (err) {
    console.log(`V2M Studio: could not set up ffmpeg-static (${err instanceof Error ? err.message : err}); npm run fetch:ffmpeg retries.`);
  }
  process.exit(0);
}
