/** File-system error codes in words a user can act on, instead of `ELOOP` or `EISDIR`. */
const WORDS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ELOOP: 'the path goes round a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EMFILE: 'too many files are open; close some programs and try again',
  ENFILE: 'too many files are open; close some programs and try again',
  EBUSY: 'the file is in use by another program',
  ETXTBSY: 'the file is in use by another program',
  EEXIST: 'something with that name already exists',
  ENXIO: 'it is a device or pipe with nothing on the other end',
  EINVAL: 'it is not a file that can be read this way',
  EIO: 'the disk reported a read/write error',
  EXDEV: 'it is on another disk',
};

/** The words for an fs error's code, falling back to Node's own message without the code prefix. */
export function fsErrorWords(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words = e?.code ? WORDS[e.code] : undefined;
  if (words) return words;
  const msg = e instanceof Error ? e.message : String(err);
  // "ELOOP: too many symbolic links encountered, open '/x'" → "too many symbolic links encountered"
  return msg.replace(/^[A-Z][A-Z0-9_]+:\s*/, '').replace(/,\s*\w+\s+'.*'$/, '');
}
