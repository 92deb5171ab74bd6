import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, buildState, ensureBuilt } from '../../scripts/build-app.js';
import { runV2m } from '../helpers/cli.ts';
import { cutsClip } from '../helpers/clips.ts';
import { projectRoot, testVideo } from '../helpers/paths.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-built-app-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs out/cli/main.js with plain Node: no tsx loader, so any TypeScript left in the build fails. */
function runBuiltCli(outDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `const { runCli } = await import(${JSON.stringify(pathToFileURL(path.join(outDir, 'cli', 'main.js')).href)});
    process.exitCode = await runCli(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, isTTY: false, signal: new AbortController().signal });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe('scripts/build-app.js on a small project', () => {
  it('compiles one .js per .ts with relative imports rewritten, copies .cjs, and knows when it is stale', async () => {
    const root = path.join(tmp, 'project');
    mkdirSync(path.join(root, 'electron', 'core'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), '{"type":"module","version":"9.9.9"}');
    writeFileSync(path.join(root, 'electron', 'core', 'b.ts'), 'export const b: number = 2;\n');
    writeFileSync(path.join(root, 'electron', 'a.ts'), "import type { Stats } from 'node:fs';\nimport { b } from './core/b.ts';\nexport const a = (s?: Stats): number => b + (s ? 1 : 0);\n");
    writeFileSync(path.join(root, 'electron', 'a.test.ts'), 'throw new Error("tests are not built");\n');
    writeFileSync(path.join(root, 'electron', 'boot.cjs'), 'module.exports = 1;\n');
    expect(buildState(root)).toBe('missing');
    const r = await buildApp({ root, quiet: true });
    expect(r.files).toBe(3);
    const out = path.join(root, 'out');
    expect(filesUnder(out).map((f) => path.relative(out, f)).sort()).toEqual(['a.js', 'boot.cjs', 'build-info.json', path.join('core', 'b.js')]);
    expect(readFileSync(path.join(out, 'a.js'), 'utf8')).toContain('./core/b.js');
    const mod = await import(pathToFileURL(path.join(out, 'a.js')).href);
    expect(mod.a()).toBe(2);
    expect(buildState(root)).toBe('fresh');

    // An edit (new mtime) makes it stale; ensureBuilt rebuilds it and leaves no lock or staging folder.
    const future = new Date(Date.now() + 5000);
    utimesSync(path.join(root, 'electron', 'core', 'b.ts'), future, future);
    expect(buildState(root)).toBe('stale');
    await ensureBuilt({ root });
    expect(buildState(root)).toBe('fresh');
    expect(readdirSync(root).sort()).toEqual(['electron', 'out', 'package.json']);
  });

  it('refuses a project without sources and reports a syntax error instead of writing a broken build', async () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(buildApp({ root: empty, quiet: true })).rejects.toThrow(/No sources under/);
    const broken = path.join(tmp, 'broken');
    mkdirSync(path.join(broken, 'electron'), { recursive: true });
    writeFileSync(path.join(broken, 'electron', 'x.ts'), 'export const = ;\n');
    await expect(buildApp({ root: broken, quiet: true })).rejects.toThrow(/x\.ts/);
    expect(readdirSync(broken)).toEqual(['electron']);
  });
});

describe('the built CLI (out/)', () => {
  it('has no TypeScript and runs --version, probe and analyze (its worker threads) with plain Node', async () => {
    const out = await ensureBuilt();
    expect(filesUnder(out).filter((f) => /\.ts$/.test(f))).toEqual([]);
    for (const f of ['cli/main.js', 'main/main.js', 'preload/preload.cjs', 'core/video/analysis-worker.js', 'core/jobs/job-worker.js']) {
      expect(filesUnder(out)).toContain(path.join(out, f));
    }
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    const v = await runBuiltCli(out, ['--version']);
    expect(v.stdout.trim()).toBe(pkg.version);

    const p = await runBuiltCli(out, ['probe', testVideo]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/h264/);

    const clip = await cutsClip('built-cli-3s.mp4', { cutTimes: [1.5], durationSec: 3 });
    const a = await runBuiltCli(out, ['analyze', clip, '--json', path.join(tmp, 'a.json'), '--no-filmstrip']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/scene cuts\s+1 /);
  });

  it('bin/v2m.js runs the build: --version well under the time tsx needs to compile the CLI', async () => {
    await ensureBuilt();
    const time = async (args: string[]) => {
      const t0 = performance.now();
      const r = await runV2m(args);
      return { ms: performance.now() - t0, r };
    };
    const node = async () => {
      const t0 = performance.now();
      await new Promise((res) => spawn(process.execPath, ['-e', '0']).on('close', res));
      return performance.now() - t0;
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ours: number[] = [], bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { ms, r } = await time(['--version']);
      expect(r.code).toBe(0);
      ours.push(ms);
      bare.push(await node());
    }
    console.info(`[built-app] v2m --version median ${median(ours).toFixed(0)} ms, bare node ${median(bare).toFixed(0)} ms`);
    // tsx compiling the CLI costs a second or more even on a quiet machine; the build adds only
    // its freshness check (tens of ms quiet, a few hundred on this loaded two-core box).
    expect(median(ours) - median(bare)).toBeLessThan(600);
  }, 60_000);
});
