#!/usr/bin/env node
// Builds the Svelte renderer when its build is missing or older than any source, so `npm start`
// always serves the current UI without rebuilding on every start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const rendererDir = path.join(root, 'renderer');
export const defaultRendererDist = path.join(rendererDir, 'dist');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Returns true when it built, false when the existing build was current. */
export async function ensureRendererBuilt(outDir = defaultRendererDist) {
  const index = path.join(outDir, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(rendererDir, 'src')),
    ...['index.html', 'vite.config.ts', 'svelte.config.js'].map((f) => statSync(path.join(rendererDir, f)).mtimeMs),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return false;
  const { build } = await import('vite');
  // Under a test runner NODE_ENV=test would select Svelte's dev runtime; always build the real one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(rendererDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensureRendererBuilt(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(built ? 'Renderer built.' : 'Renderer build is up to date.');
}
