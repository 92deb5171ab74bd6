import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker on a TypeScript entry. `execArgv: ['--import', 'tsx']` does not reach a worker's
 * entry module under Node 20, so a tiny eval'd bootstrap registers tsx's loader first and then
 * imports the entry. The build in out/ (scripts/build-app.js) is .js and loads the entry directly,
 * without tsx (a dev dependency, absent from the packaged app).
 */
export function startTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (entry.pathname.endsWith('.js')) return new Worker(entry, options);
  const tsxApi = tsxEsmApiUrl(import.meta.url);
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** The ESM build of tsx's API (require.resolve gives the CJS one, which cannot register here). */
function tsxEsmApiUrl(from: string): string {
  const pkgJson = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: Record<string, { import?: { default?: string } | string }> };
  const imp = pkg.exports?.['./esm/api']?.import;
  const rel = typeof imp === 'string' ? imp : imp?.default;
  if (!rel) throw new Error('tsx does not export ./esm/api; reinstall dependencies (npm install).');
  return pathToFileURL(fileURLToPath(new URL(rel, pathToFileURL(pkgJson)))).href;
}
