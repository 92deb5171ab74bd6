import { statSync } from 'node:fs';
import path from 'node:path';
import { cachedHash, rememberHash, sha256File } from './file-hash.ts';
import { packFiles, readManifest, type FileEntry, type PackManifest } from './manifest.ts';
import { PackError } from './pack-error.ts';

export interface VerifyProgress {
  stage: 'verifying';
  fraction: number;
  file: string;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
  /** Only these files (default: every file the manifest lists). */
  files?: FileEntry[];
  /** Sizes only, no hashing (for quick listings). */
  sizesOnly?: boolean;
}

/** Size check of one listed file; a clear PackError when it is missing or the wrong size. */
export function checkFileSize(dir: string, e: FileEntry): void {
  const file = path.join(dir, e.path);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new PackError('MISSING_FILE', `The model pack ${dir} is missing ${e.path}; install the pack again.`);
  }
  if (size < e.bytes) throw new PackError('TRUNCATED', `${e.path} in ${dir} is truncated (${size} of ${e.bytes} bytes); install the pack again.`);
  if (size > e.bytes) throw new PackError('MISMATCH', `${e.path} in ${dir} is ${size} bytes, but the manifest says ${e.bytes}; the file does not belong to this pack.`);
}

/** Size and sha256 of one listed file against the manifest (hashes are cached per process). */
export async function verifyFile(dir: string, e: FileEntry, o: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<void> {
  checkFileSize(dir, e);
  const file = path.join(dir, e.path);
  const sha = cachedHash(file) ?? (await sha256File(file, o));
  if (sha !== e.sha256) {
    throw new PackError('CHECKSUM', `${e.path} in ${dir} is damaged or was changed: its sha256 is ${sha.slice(0, 12)}…, the manifest expects ${e.sha256.slice(0, 12)}…; install the pack again.`);
  }
  rememberHash(file, sha);
}

/** Checks every file of a pack (or the given ones) against its manifest. */
export async function verifyPack(dir: string, o: VerifyOptions = {}): Promise<PackManifest> {
  const m = readManifest(dir);
  const files = o.files ?? packFiles(m);
  for (const e of files) checkFileSize(dir, e);
  if (o.sizesOnly) return m;
  const total = files.reduce((s, e) => s + e.bytes, 0) || 1;
  let done = 0;
  for (const e of files) {
    o.signal?.throwIfAborted();
    await verifyFile(dir, e, {
      signal: o.signal,
      onBytes: (n) => {
        done += n;
        o.onProgress?.({ stage: 'verifying', fraction: done / total, file: e.path });
      },
    });
  }
  o.onProgress?.({ stage: 'verifying', fraction: 1, file: '' });
  return m;
}
