import { pathToFileURL } from 'node:url';

/**
 * A media reference as editors write it (file:// URL, file://localhost/D%3a/…, a plain path) →
 * a local path, or null when it is not a file (http, a generator). Windows drive paths keep
 * their drive letter (D:/media/a.mov) so relinking by name still works on another machine.
 */
export function urlToPath(url: string | null | undefined): string | null {
  if (!url) return null;
  const u = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(u) || /^[a-z]:[\\/]/i.test(u)) return u;
  if (!/^file:/i.test(u)) return null;
  let rest = u.replace(/^file:(\/\/(localhost)?)?/i, '');
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // A stray % in a hand-written URL: keep it as written.
  }
  if (/^\/[a-z]:[\\/]/i.test(rest)) rest = rest.slice(1);
  return rest;
}

/** A local path as a file:// URL (absolute paths only; relative ones stay as written). */
export function pathToUrl(p: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p;
  if (/^[a-z]:[\\/]/i.test(p)) return `file:///${encodeURI(p.replace(/\\/g, '/'))}`;
  if (p.startsWith('/')) return pathToFileURL(p).href;
  return encodeURI(p);
}

/** The last path segment (either slash), for names and relinking. */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
