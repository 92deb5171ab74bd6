import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { hasRandomWeights, MANIFEST_FILE, MODEL_NAMES, packFiles, readManifest } from './manifest.ts';
import { bundledModelsDir, userModelsDir } from './pack-locations.ts';
import { checkFileSize } from './pack-verify.ts';

export interface PackListing {
  name: string;
  version: string;
  dir: string;
  source: 'bundled' | 'user';
  /** 'ok' when the manifest is valid and every file has its declared size (hashes: `verify`). */
  status: 'ok' | 'invalid';
  problem: string | null;
  bytes: number;
  precisions: ('fp32' | 'fp16')[];
  latentLength: number | null;
  maxSeconds: number | null;
  /** Random weights (a test pack): it runs, but what it makes is noise, not music. */
  randomWeights: boolean;
}

const SKIP = new Set(['node_modules', '.git', '__pycache__', '.pytest_cache']);

/** Folders holding a manifest.json, at most `depth` levels below root (partial installs skipped). */
export function findManifestDirs(root: string, depth = 4): string[] {
  const out: string[] = [];
  const walk = (dir: string, d: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === MANIFEST_FILE)) out.push(dir);
    if (d === 0) return;
    for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name), d - 1);
  };
  walk(root, depth);
  return out.sort();
}

export function describePack(dir: string, source: PackListing['source']): PackListing {
  const base: PackListing = { name: path.basename(dir), version: '', dir, source, status: 'invalid', problem: null, bytes: 0, precisions: [], latentLength: null, maxSeconds: null, randomWeights: false };
  try {
    const m = readManifest(dir);
    const files = packFiles(m);
    const listing: PackListing = {
      ...base,
      name: m.name,
      version: m.version ?? `format ${m.format_version}`,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      precisions: MODEL_NAMES.every((n) => m.models[n].files.fp16) ? ['fp32', 'fp16'] : ['fp32'],
      latentLength: m.audio.latent_length,
      maxSeconds: m.conditioning.max_seconds,
      randomWeights: hasRandomWeights(m),
    };
    for (const f of files) checkFileSize(dir, f);
    return { ...listing, status: 'ok' };
  } catch (e) {
    return { ...base, problem: (e as Error).message };
  }
}

/** Every pack in the bundled folder and the user models folder (user packs first). */
export function listPacks(o: { bundledDir?: string; userDir?: string } = {}): PackListing[] {
  const user = findManifestDirs(o.userDir ?? userModelsDir(), 1).map((d) => describePack(d, 'user'));
  // Only folders whose manifest says it is a model pack: native-models/ also holds other JSON.
  const bundled = findManifestDirs(o.bundledDir ?? bundledModelsDir()).map((d) => describePack(d, 'bundled'));
  return [...user, ...bundled];
}

/**
 * A pack by folder path or by name (user packs win over bundled ones with the same name).
 * Throws with the list of what is installed when nothing matches.
 */
export function resolvePack(nameOrDir: string, o: { bundledDir?: string; userDir?: string } = {}): PackListing {
  if (nameOrDir.includes('/') || nameOrDir.includes(path.sep) || nameOrDir.startsWith('.')) {
    return describePack(path.resolve(nameOrDir), 'user');
  }
  const all = listPacks(o);
  const hit = all.find((p) => p.name === nameOrDir);
  if (hit) return hit;
  const names = all.filter((p) => p.status === 'ok').map((p) => p.name);
  throw new Error(`No model pack named "${nameOrDir}". ${names.length ? `Installed: ${names.join(', ')}.` : 'None is installed; see v2m models install.'}`);
}
