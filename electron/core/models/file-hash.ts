import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

/** sha256 of a file, streamed; reports bytes read and stops when the signal is aborted. */
export async function sha256File(file: string, o: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal: o.signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    o.onBytes?.(chunk.length);
  }
  return hash.digest('hex');
}

// Files already hashed in this process, keyed by path, size and modification time, so a model
// is hashed once per run rather than on every session it opens.
const verified = new Map<string, string>();

function key(file: string): string | null {
  try {
    const s = statSync(file);
    return `${file}\0${s.size}\0${s.mtimeMs}`;
  } catch {
    return null;
  }
}

export function cachedHash(file: string): string | undefined {
  const k = key(file);
  return k ? verified.get(k) : undefined;
}

export function rememberHash(file: string, sha: string): void {
  const k = key(file);
  if (k) verified.set(k, sha);
}
