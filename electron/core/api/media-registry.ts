import { realpathSync, statSync } from 'node:fs';

/**
 * The only files the bridge and the media protocol will serve: clips and generated audio of the
 * open project, addressed by id, never by path. The real path is pinned at registration and
 * checked again on every request, so swapping a file for a symlink does not widen access.
 */
export class MediaRegistry {
  private readonly files = new Map<string, string>();

  register(id: string, filePath: string): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error(`Media id "${id}" is not valid.`);
    this.files.set(id, realpathSync(filePath));
  }

  unregister(id: string): void {
    this.files.delete(id);
  }

  clear(): void {
    this.files.clear();
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  /** The registered file for an id, or null when unknown, gone or no longer the same file. */
  resolve(id: string): { path: string; size: number } | null {
    const registered = this.files.get(id);
    if (!registered) return null;
    try {
      if (realpathSync(registered) !== registered) return null;
      const st = statSync(registered);
      return st.isFile() ? { path: registered, size: st.size } : null;
    } catch {
      return null;
    }
  }
}

/** Content type for the media we register; the browser needs it to pick a decoder. */
export function mediaContentType(filePath: string): string {
  const ext = filePath.slice(filePath.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska',
    avi: 'video/x-msvideo', wav: 'audio/wav', mp3: 'audio/mpeg', m4a: 'audio/mp4', flac: 'audio/flac',
    ogg: 'audio/ogg', mid: 'audio/midi', midi: 'audio/midi',
  };
  return types[ext] ?? 'application/octet-stream';
}
