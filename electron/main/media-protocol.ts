import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { MediaRegistry } from '../core/api/media-registry.ts';
import { mediaContentType } from '../core/api/media-registry.ts';
import { parseRange } from '../server/byte-range.ts';

/**
 * `v2m-media://media/<id>`: streams a file registered in the open project, with byte ranges so
 * `<video>` can seek. Unknown ids, paths and anything that is not a plain id get 404.
 */
export function mediaProtocolHandler(registry: MediaRegistry): (request: Request) => Response {
  return (request) => {
    const notFound = (): Response => new Response('Not found', { status: 404 });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    const m = /^\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
    if (url.host !== 'media' || !m) return notFound();
    const file = registry.resolve(m[1]!);
    if (!file) return notFound();
    const range = parseRange(request.headers.get('range') ?? undefined, file.size);
    const headers = new Headers({ 'Content-Type': mediaContentType(file.path), 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' });
    if (range === 'unsatisfiable') {
      headers.set('Content-Range', `bytes */${file.size}`);
      return new Response(null, { status: 416, headers });
    }
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    const length = file.size === 0 ? 0 : end - start + 1;
    headers.set('Content-Length', String(length));
    if (range) headers.set('Content-Range', `bytes ${start}-${end}/${file.size}`);
    const body = request.method === 'HEAD' || length === 0 ? null : (Readable.toWeb(createReadStream(file.path, { start, end })) as ReadableStream<Uint8Array>);
    return new Response(body, { status: range ? 206 : 200, headers });
  };
}
