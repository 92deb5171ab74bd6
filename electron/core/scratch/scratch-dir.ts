import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write.ts';
import os from 'node:os';
import path from 'node:path';
import { currentOwner, ownerAlive, parseOwner } from './owner.ts';

/** Every scratch folder of ours starts with this, followed by the owning PID. */
export const SCRATCH_PREFIX = 'v2m-work-';
export const OWNER_FILE = 'owner.json';
/** Folders earlier versions made straight in the temp directory, without an owner file. */
const LEGACY_PREFIXES = ['v2m-render-', 'v2m-score-', 'v2m-temlr-'];
const DAY_MS = 24 * 3600_000;

let processRoot: string | null = null;

function scratchBase(): string {
  return process.env.V2M_SCRATCH_DIR ?? os.tmpdir();
}

/**
 * This process's scratch root: one folder per process holding every job's temporary work, with
 * an owner file so a later start can tell it was left behind by a process that was killed.
 */
export function processScratchRoot(): string {
  if (processRoot) return processRoot;
  const base = scratchBase();
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, `${SCRATCH_PREFIX}${process.pid}-`));
  writeFileAtomic(path.join(root, OWNER_FILE), JSON.stringify(currentOwner()));
  processRoot = root;
  // A normal exit (or Ctrl+C through the CLI's handlers) cleans up; a hard kill is swept later.
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** A fresh folder for one job's temporary files, inside this process's scratch root. */
export function makeScratchDir(prefix: string): string {
  return mkdtempSync(path.join(processScratchRoot(), prefix));
}

export interface SweepResult {
  removed: string[];
  /** Folders of live processes (or of another machine), left alone. */
  kept: string[];
}

/**
 * Removes the scratch folders of processes that are no longer alive. Never touches a live
 * process's folder, a folder without a readable owner file younger than a day (it may be
 * being created right now), or anything not named like ours. Folders of earlier versions (no
 * owner file) go once they are a day old.
 */
export function sweepStaleScratch(opts: { base?: string; now?: number } = {}): SweepResult {
  const base = opts.base ?? scratchBase();
  const now = opts.now ?? Date.now();
  const result: SweepResult = { removed: [], kept: [] };
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return result;
  }
  for (const name of names) {
    const legacy = LEGACY_PREFIXES.some((p) => name.startsWith(p));
    if (!legacy && !name.startsWith(SCRATCH_PREFIX)) continue;
    const dir = path.join(base, name);
    if (dir === processRoot) continue;
    let owner = null;
    if (!legacy) {
      try {
        owner = parseOwner(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
      } catch {
        owner = null;
      }
    }
    let stale: boolean;
    if (owner) stale = !ownerAlive(owner);
    else {
      try {
        stale = now - statSync(dir).mtimeMs > DAY_MS;
      } catch {
        continue;
      }
    }
    if (!stale) {
      result.kept.push(dir);
      continue;
    }
    try {
      rmSync(dir, { recursive: true, force: true });
      result.removed.push(dir);
    } catch {
      result.kept.push(dir);
    }
  }
  return result;
}
