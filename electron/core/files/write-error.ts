import path from 'node:path';
import { fsErrorWords } from './fs-error-words.ts';

/** An Error a user can act on, for a destination that cannot be written (the system's code kept). */
export function writeError(target: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  return Object.assign(words(target, code, e), code ? { code } : {});
}

function words(target: string, code: string | undefined, e: unknown): Error {
  const dir = path.dirname(target);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new Error(`Cannot write to ${dir}: permission denied. Choose an output folder you can write to.`);
  if (code === 'ENOENT') return new Error(`Cannot write ${target}: the folder ${dir} does not exist.`);
  if (code === 'ENOTDIR') return new Error(`Cannot write ${target}: ${dir} is not a folder.`);
  if (code === 'ENOSPC') return new Error(`Cannot write ${target}: the disk is full.`);
  return new Error(`Cannot write ${target}: ${fsErrorWords(e)}.`);
}
