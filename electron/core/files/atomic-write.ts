import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeError } from './write-error.ts';

// The one way this app writes a file a user or another program reads: under a temporary name in
// the destination folder (so the rename stays on one file system), renamed into place when whole.
// A crash, a cancel or a full disk never leaves half a file under the real name.

let serial = 0;

/**
 * A temporary name beside `finalPath`, unique within this process and across processes. It keeps
 * the extension at the end (ffmpeg picks the container from it) and starts with a dot (hidden).
 */
export function tempPathFor(finalPath: string): string {
  const ext = path.extname(finalPath);
  const stem = path.basename(finalPath, ext);
  return path.join(path.dirname(finalPath), `.${stem}.${process.pid}.${Date.now().toString(36)}.${(serial++).toString(36)}.tmp${ext}`);
}

/** Renames a finished temporary file onto `finalPath`; on failure the temporary file is removed. */
export function commitTempFile(tmp: string, finalPath: string): void {
  try {
    renameSync(tmp, finalPath);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(finalPath, e);
  }
}

/**
 * Writes bytes or text whole, or not at all. `mode` applies to a new file (e.g. 0o600 for secrets);
 * `mkdir` creates the folder first (for the app's own data files).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { mode?: number; mkdir?: boolean } = {}): void {
  if (opts.mkdir) mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, data, opts.mode === undefined ? undefined : { mode: opts.mode });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
  commitTempFile(tmp, file);
}

/** Copies a file whole, or not at all. */
export function copyFileAtomic(from: string, to: string): void {
  const tmp = tempPathFor(to);
  try {
    copyFileSync(from, tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw (e as NodeJS.ErrnoException).path === from ? e : writeError(to, e);
  }
  commitTempFile(tmp, to);
}

/**
 * Runs `produce` (an ffmpeg run, a long render) on a temporary path beside `finalPath` and
 * renames the result into place only when it succeeds; a failure or cancel removes it.
 */
export async function writeViaTemp<T>(finalPath: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(finalPath);
  let result: T;
  try {
    result = await produce(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  commitTempFile(tmp, finalPath);
  return result;
}
