import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStartTicks } from '../../../electron/core/scratch/owner.ts';
import { makeScratchDir, processScratchRoot, sweepStaleScratch } from '../../../electron/core/scratch/index.ts';

let base: string;
beforeEach(() => { base = mkdtempSync(path.join(os.tmpdir(), 'scratch-sweep-')); });
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A PID that certainly belongs to no running process: one that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function folder(name: string, owner?: object): string {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'render-x'), { recursive: true });
  writeFileSync(path.join(dir, 'render-x', 'mix.f32'), Buffer.alloc(4096));
  if (owner) writeFileSync(path.join(dir, 'owner.json'), JSON.stringify(owner));
  return dir;
}

const here = { hostname: os.hostname(), createdAt: 0 };

describe('sweepStaleScratch', () => {
  it("removes a dead process's folder and keeps a live one's", () => {
    const pid = deadPid();
    const dead = folder(`v2m-work-${pid}-a`, { ...here, pid, startTicks: null });
    const live = folder(`v2m-work-${process.pid}-b`, { ...here, pid: process.pid, startTicks: processStartTicks(process.pid) });
    const r = sweepStaleScratch({ base });
    expect(r.removed).toEqual([dead]);
    expect(r.kept).toEqual([live]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(path.join(live, 'render-x', 'mix.f32'))).toBe(true);
  });

  it('treats a reused PID (same number, other start time) as dead', () => {
    if (processStartTicks(process.pid) === null) return; // no /proc: PID reuse cannot be told
    const dir = folder(`v2m-work-${process.pid}-c`, { ...here, pid: process.pid, startTicks: '1' });
    expect(sweepStaleScratch({ base }).removed).toEqual([dir]);
  });

  it("never touches another machine's folder, foreign names, or a fresh folder without an owner file", () => {
    const remote = folder(`v2m-work-${deadPid()}-d`, { pid: 1, hostname: `${os.hostname()}-elsewhere`, startTicks: null, createdAt: 0 });
    const fresh = folder('v2m-work-123-e');
    const foreign = folder('other-app-tmp', { ...here, pid: deadPid(), startTicks: null });
    const r = sweepStaleScratch({ base });
    expect(r.removed).toEqual([]);
    expect(r.kept.sort()).toEqual([fresh, remote].sort());
    expect(existsSync(foreign)).toBe(true);
  });

  it('removes owner-less folders and earlier versions\' folders once they are a day old', () => {
    const old = Date.now() / 1000 - 2 * 86400;
    const legacy = folder('v2m-render-abc');
    const orphan = folder('v2m-work-77-f');
    const young = folder('v2m-score-def');
    for (const d of [legacy, orphan]) utimesSync(d, old, old);
    const r = sweepStaleScratch({ base });
    expect(r.removed.sort()).toEqual([legacy, orphan].sort());
    expect(existsSync(young)).toBe(true);
  });

  it('a corrupt owner file counts as no owner file', () => {
    const dir = folder('v2m-work-5-g');
    writeFileSync(path.join(dir, 'owner.json'), '{"pid": ');
    expect(sweepStaleScratch({ base }).kept).toEqual([dir]);
  });

  it('a missing base folder is nothing to sweep', () => {
    expect(sweepStaleScratch({ base: path.join(base, 'nope') })).toEqual({ removed: [], kept: [] });
  });
});

describe('makeScratchDir', () => {
  it("creates job folders inside one per-process root that records its owner, and the sweep spares it", () => {
    const a = makeScratchDir('render-');
    const b = makeScratchDir('score-');
    const root = processScratchRoot();
    expect(path.dirname(a)).toBe(root);
    expect(path.dirname(b)).toBe(root);
    expect(path.basename(root)).toMatch(new RegExp(`^v2m-work-${process.pid}-`));
    expect(existsSync(path.join(root, 'owner.json'))).toBe(true);
    expect(sweepStaleScratch({ base: path.dirname(root) }).removed).not.toContain(root);
    rmSync(a, { recursive: true });
    rmSync(b, { recursive: true });
  });
});
