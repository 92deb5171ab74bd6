// What a drop or a picked file can tell us about where a video lives. The bridge imports by path,
// and a browser only reveals a path when the drop carries a file:// URI (file managers add one).

export function pathsFromUriList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('file://')) {
      try {
        const url = new URL(line);
        if (url.host && url.host !== 'localhost') continue;
        out.push(decodeURIComponent(url.pathname));
      } catch {
        /* not a URI */
      }
    } else if (line.startsWith('/')) {
      out.push(line);
    }
  }
  return out;
}

/** Looks like a full path the engine can open (POSIX or Windows). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
