import { existsSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

// Which files go with a deleted project. Only what the app made inside its own data folder is
// removed; source media and exports are the user's (an editor may be using them) and stay.

/** True when `file` lies inside `dir` (not the folder itself), after resolving both. */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

export interface DeletionInput {
  /** Every file the project's generations list. */
  generatedFiles: string[];
  generationsDir: string;
  /** The folders holding pictures built from the project's imported timelines. */
  conformDirs: string[];
  clipPaths: string[];
  exportPaths: string[];
}

/** Files to remove and files to leave, each listed once, in a stable order. */
export function deletionFiles(o: DeletionInput): { removes: string[]; keeps: string[] } {
  const removes = new Set<string>();
  const keeps = new Set<string>();
  for (const f of o.generatedFiles) (isInside(f, o.generationsDir) ? removes : keeps).add(path.resolve(f));
  for (const d of o.conformDirs) for (const f of filesUnder(d)) removes.add(path.resolve(f));
  for (const f of [...o.clipPaths, ...o.exportPaths]) {
    const p = path.resolve(f);
    if (!removes.has(p)) keeps.add(p);
  }
  return { removes: [...removes].filter((f) => existsSync(f)), keeps: [...keeps] };
}

/** Removes files (and the folders they leave empty); returns the ones that could not go. */
export function removeFiles(files: string[]): Array<{ path: string; reason: string }> {
  const failed: Array<{ path: string; reason: string }> = [];
  const dirs = new Set<string>();
  for (const f of files) {
    try {
      if (existsSync(f) && statSync(f).isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      rmSync(f, { force: true });
      dirs.add(path.dirname(f));
    } catch (err) {
      failed.push({ path: f, reason: (err as Error).message });
    }
  }
  for (const d of dirs) {
    try {
      if (readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      /* not empty or already gone: leave it */
    }
  }
  return failed;
}

/** A project name from a file name: "Promo cut v3.mov" → "Promo cut v3". */
export function projectNameFromPath(p: string): string {
  return (p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '').replace(/\.[^.]+$/, '').trim().slice(0, 200) || 'Untitled';
}
