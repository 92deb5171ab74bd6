#!/usr/bin/env node
// The CLI runs the JavaScript build in out/ (npm run build). In a checkout, a missing or stale
// build is rebuilt first (about a second, esbuild); only where esbuild is missing does it fall
// back to compiling the TypeScript on load through tsx (a dev dependency).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let entry = null;
let buildError = null;
try {
  const { ensureBuilt } = await import('../scripts/build-app.js');
  entry = path.join(await ensureBuilt(), 'cli', 'main.js');
} catch (e) {
  buildError = e;
}
if (entry && existsSync(entry)) {
  const { main } = await import(pathToFileURL(entry).href);
  await main();
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(`v2m: the CLI is not built and cannot be built here (${buildError?.message ?? 'no build'}). Run "npm run build" in ${root}.`);
    process.exit(1);
  }
  register();
  const { main } = await import('../electron/cli/main.ts');
  await main();
}
