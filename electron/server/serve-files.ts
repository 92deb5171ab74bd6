import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { parseRange } from './byte-range.ts';

/** Streams one file, honouring a `Range` header so `<video>` can seek. */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: { path: string; size: number }, contentType: string, headers: Record<string, string> = {}): void {
  const range = parseRange(req.headers.range, file.size);
  const base = { 'Content-Type': contentType, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store', ...headers };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...base, 'Content-Range': `bytes */${file.size}` });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  const length = file.size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...base,
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.wasm': 'application/wasm', '.map': 'application/json',
};

/**
 * Maps a URL path to a file inside `root`, or null. Rejects traversal in any spelling: the
 * decoded path may not contain `..` segments, backslashes or NUL, and the real path (after
 * symlinks) must still lie inside the real root.
 */
export function resolveStatic(root: string, urlPath: string): { path: string; size: number; type: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rel = segments.length ? segments.join('/') : 'index.html';
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(path.join(realRoot, rel));
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    const st = statSync(real);
    if (!st.isFile()) return null;
    return { path: real, size: st.size, type: STATIC_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
