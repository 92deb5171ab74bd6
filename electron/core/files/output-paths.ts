import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { writeError } from '../files/write-error.ts';

/** Fails early, before minutes of generating, when the destination cannot take the file. */
export function checkWritableDestination(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw writeError(file, e);
  }
}

/** A stem beside its mix: music.wav → music.drums.wav. */
export function stemPath(mix: string, stem: string): string {
  const ext = path.extname(mix) || '.wav';
  return path.join(path.dirname(mix), `${path.basename(mix, ext)}.${stem}${ext}`);
}
