#!/usr/bin/env node
// `npm run build`: compiles the Electron main process, preload, workers, browser bridge and CLI
// (everything under electron/ but the tests) to JavaScript in out/, one .js per .ts, so nothing
// compiles TypeScript at run time. out/ mirrors electron/ at the same depth below the project
// root (electron/cli/main.ts → out/cli/main.js), so every `new URL('../..', import.meta.url)` in
// the sources (package.json, renderer/dist, preload, worker entries) still points where it should.
//
// bin/v2m.js, bin/start.js and electron/main/entry.cjs call ensureBuilt(): it rebuilds only when
// the sources changed since the last build (a fingerprint of their paths, sizes and mtimes), under
// a lock so parallel processes build once, into a staging folder renamed into place.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INFO = 'build-info.json';
/** A lock older than this belongs to a build that died; take it over. */
const STALE_LOCK_MS = 60_000;

/** The files a build compiles (.ts) or copies (.cjs), relative to `<root>/electron`, sorted. */
export function sourceFiles(root = projectRoot) {
  const src = path.join(root, 'electron');
  if (!existsSync(src)) return [];
  const found = [];
  // A plain walk: this runs on every CLI start, and readdirSync's recursive mode is slower.
  const walk = (dir, rel) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.isDirectory()) walk(path.join(dir, d.name), `${rel}${d.name}/`);
      else if (d.isFile() && /\.(ts|cjs)$/.test(d.name) && !/\.(test|spec)\.ts$/.test(d.name) && !d.name.endsWith('.d.ts')) found.push(rel + d.name);
    }
  };
  walk(src, '');
  return found.sort();
}

/**
 * Changes whenever a source file is added, removed, renamed or edited (size + mtime), or
 * package.json changes. FNV-1a rather than node:crypto: loading crypto costs more than hashing.
 */
export function sourceFingerprint(root = projectRoot) {
  let h = 0x811c9dc5;
  const add = (text) => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  };
  const files = sourceFiles(root);
  for (const rel of files) {
    const s = statSync(path.join(root, 'electron', rel));
    add(`${rel}\0${s.size}\0${s.mtimeMs}\n`);
  }
  const pkg = path.join(root, 'package.json');
  if (existsSync(pkg)) add(readFileSync(pkg, 'utf8'));
  return `${files.length}-${(h >>> 0).toString(16)}`;
}

function readBuildInfo(outDir) {
  try {
    return JSON.parse(readFileSync(path.join(outDir, BUILD_INFO), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * 'fresh' when out/ matches the sources, 'stale' or 'missing' when it needs a build, and
 * 'built-only' when there are no sources to compare against (a package that ships only out/).
 */
export function buildState(root = projectRoot, outDir = path.join(root, 'out')) {
  const info = readBuildInfo(outDir);
  const hasSources = sourceFiles(root).length > 0;
  if (!hasSources) return info ? 'built-only' : 'missing';
  if (!info) return 'missing';
  return info.fingerprint === sourceFingerprint(root) ? 'fresh' : 'stale';
}

/** Rewrites relative `./x.ts` imports to `./x.js` and keeps every import external: one file in, one out. */
const oneToOne = {
  name: 'v2m-one-to-one',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.path.startsWith('.')) return { path: args.path.replace(/\.ts$/, '.js'), external: true };
      return { path: args.path, external: true };
    });
  },
};

/** Compiles `<root>/electron` into `outDir` (written to a staging folder, then renamed into place). */
export async function buildApp({ root = projectRoot, outDir = path.join(root, 'out'), quiet = false } = {}) {
  const started = performance.now();
  const { build } = await import('esbuild');
  const files = sourceFiles(root);
  if (!files.length) throw new Error(`No sources under ${path.join(root, 'electron')} to build.`);
  const fingerprint = sourceFingerprint(root);
  const staging = `${outDir}.staging-${process.pid}-${Date.now()}`;
  try {
    const src = path.join(root, 'electron');
    const ts = files.filter((f) => f.endsWith('.ts')).map((f) => path.join(src, f));
    await build({
      entryPoints: ts,
      outbase: src,
      outdir: staging,
      bundle: true,
      plugins: [oneToOne],
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      charset: 'utf8',
    });
    for (const f of files.filter((x) => x.endsWith('.cjs'))) {
      mkdirSync(path.dirname(path.join(staging, f)), { recursive: true });
      copyFileSync(path.join(src, f), path.join(staging, f));
    }
    writeFileSync(path.join(staging, BUILD_INFO), `${JSON.stringify({ fingerprint, files: files.length, builtAt: new Date().toISOString() }, null, 2)}\n`);
    const old = `${outDir}.old-${process.pid}-${Date.now()}`;
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(staging, outDir);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const ms = performance.now() - started;
  if (!quiet) console.log(`built ${files.length} files into ${path.relative(root, outDir) || outDir} in ${ms.toFixed(0)} ms`);
  return { outDir, files: files.length, ms };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes sure out/ matches the sources, building it when it does not; returns out/. A lock folder
 * (mkdir is atomic) lets one of several processes started together build while the others wait.
 */
export async function ensureBuilt({ root = projectRoot, outDir = path.join(root, 'out'), quiet = true } = {}) {
  const state = buildState(root, outDir);
  if (state === 'fresh' || state === 'built-only') return outDir;
  const lock = `${outDir}.lock`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Another build has held ${lock} for two minutes; delete it if no build is running.`);
      else await sleep(50);
    }
  }
  try {
    // Whoever held the lock before us may have built it already.
    if (buildState(root, outDir) !== 'fresh') await buildApp({ root, outDir, quiet });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await buildApp();
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
