import { readFileSync } from 'node:fs';
import { resolveStatic } from '../server/serve-files.ts';
import { RENDERER_CSP } from './content-security.ts';

/**
 * `v2m-app://app/…`: the built renderer, with the CSP on every response. Without a build,
 * `/` shows the status page. Traversal and symlinks out of the renderer folder get 404.
 */
export function appProtocolHandler(opts: { rendererDir: string | undefined; statusPage: () => Promise<string> }): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers = new Headers({ 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' });
    if (url.host !== 'app') return new Response('Not found', { status: 404, headers });
    if (!opts.rendererDir && (url.pathname === '/' || url.pathname === '/index.html')) {
      headers.set('Content-Type', 'text/html; charset=utf-8');
      return new Response(await opts.statusPage(), { status: 200, headers });
    }
    const file = opts.rendererDir ? resolveStatic(opts.rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers });
    headers.set('Content-Type', file.type);
    return new Response(readFileSync(file.path), { status: 200, headers });
  };
}
