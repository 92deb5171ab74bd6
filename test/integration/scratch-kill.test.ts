import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cutsClip } from '../helpers/clips.ts';
import { runV2m } from '../helpers/cli.ts';
import { projectRoot } from '../helpers/paths.ts';

const base = mkdtempSync(path.join(os.tmpdir(), 'scratch-kill-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});
const env = { ...process.env, V2M_SCRATCH_DIR: base };

function workFolders(): string[] {
  return readdirSync(base).filter((n) => n.startsWith('v2m-work-')).map((n) => path.join(base, n));
}

/** A synthesis part file (part0.f32, …, or a stem's) once it has samples in it, or null. */
function renderingPart(): string | null {
  for (const root of workFolders()) {
    for (const job of readdirSync(root).filter((n) => n.startsWith('render-'))) {
      const dir = path.join(root, job);
      const parts = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.f32')) : [];
      for (const n of parts) {
        const f = path.join(dir, n);
        if (existsSync(f) && statSync(f).size > 0) return f;
      }
    }
  }
  return null;
}

async function until<T>(what: string, ms: number, probe: () => T | null): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('scratch folders after a hard kill', () => {
  it("v2m score killed with SIGKILL mid-render leaves its folder; the next start removes it and keeps a live process's folder", async () => {
    const clip = await cutsClip('scratch-kill-60s.mp4', { cutTimes: [10, 20, 30, 40, 50], durationSec: 60 });
    const score = spawn(process.execPath, [path.join(projectRoot, 'bin/v2m.js'), 'score', clip, '-o', path.join(base, 'out.mp4')], { env, stdio: 'ignore' });
    children.push(score);
    const mix = await until('the render to start', 50_000, renderingPart);
    score.kill('SIGKILL');
    await new Promise((r) => score.once('exit', r));
    const killedRoot = path.dirname(path.dirname(mix));
    expect(existsSync(mix)).toBe(true);

    // A live process holding its own scratch folder.
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/helpers/scratch-holder.ts')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(holder);
    const liveRoot = await new Promise<string>((resolve) => holder.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(existsSync(liveRoot)).toBe(true);

    const next = await runV2m(['--version'], { env });
    expect(next.code).toBe(0);
    expect(existsSync(killedRoot)).toBe(false);
    expect(existsSync(liveRoot)).toBe(true);

    // The live one cleans up after itself on a normal exit.
    holder.stdin!.end();
    await new Promise((r) => holder.once('exit', r));
    expect(existsSync(liveRoot)).toBe(false);
    expect(workFolders()).toEqual([]);
  }, 120_000);
});
