import { open, stat } from 'node:fs/promises';
import { MediaError } from './errors.ts';
import { fsErrorWords } from '../files/fs-error-words.ts';

/**
 * Checks a user-supplied path before ffmpeg sees it, so the common mistakes get a precise
 * message instead of ffmpeg's generic one. Returns the file size.
 */
export async function checkMediaPath(filePath: string): Promise<number> {
  if (typeof filePath !== 'string' || filePath.trim() === '') {
    throw new MediaError('NOT_FOUND', 'No file given: pass the path of a video or audio file.');
  }
  let st;
  try {
    st = await stat(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MediaError('NOT_FOUND', `File not found: ${filePath}`);
    if (code === 'EACCES' || code === 'EPERM') throw new MediaError('UNREADABLE', `Permission denied reading ${filePath}`);
    throw new MediaError('UNREADABLE', `Cannot read ${filePath}: ${fsErrorWords(err)}.`);
  }
  if (st.isDirectory()) throw new MediaError('NOT_A_FILE', `${filePath} is a folder, not a media file: pass a file inside it.`);
  if (!st.isFile()) throw new MediaError('NOT_A_FILE', `${filePath} is not a regular file.`);
  if (st.size === 0) throw new MediaError('EMPTY_FILE', `${filePath} is empty (0 bytes): the file was not fully written or copied.`);
  try {
    const fh = await open(filePath, 'r');
    await fh.close();
  } catch (err) {
    throw new MediaError('UNREADABLE', `Cannot open ${filePath}: ${fsErrorWords(err)}.`);
  }
  return st.size;
}
