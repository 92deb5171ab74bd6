import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { V2mApi } from '../shared/api.ts';
import { serializeError } from '../shared/errors.ts';
import type { V2mEventName, V2mEvents } from '../shared/events.ts';
import { isApiMethod, parseApiInput } from '../shared/schemas.ts';
import { mediaContentType, type MediaRegistry } from '../core/api/media-registry.ts';
import { checkRequest, type GuardResult } from './request-guard.ts';
import { resolveStatic, sendFile } from './serve-files.ts';
import { upgradeToWebSocket, type WebSocketConnection } from './websocket.ts';
import { toWireJson } from '../shared/wire-json.ts';

export type EventSubscriber = (listener: <E extends V2mEventName>(event: E, payload: V2mEvents[E]) => void) => () => void;

export interface BridgeOptions {
  api: V2mApi;
  subscribe: EventSubscriber;
  media: MediaRegistry;
  /** Built renderer (index.html + assets); without it `/` shows the status page. */
  rendererDir?: string | undefined;
  statusPage: () => Promise<string>;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; normally random. */
  token?: string;
  maxBodyBytes?: number;
}

export interface BridgeServer {
  url: string;
  port: number;
  token: string;
  /** The loopback address the socket is bound to. */
  address: AddressInfo;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

function csp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

class BadRequest extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

/** Serves the renderer and the `V2mApi` on 127.0.0.1 only, behind the session token. */
export async function startBridge(opts: BridgeOptions): Promise<BridgeServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sockets = new Set<WebSocketConnection>();
  let port = 0;

  const securityHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': csp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = toWireJson(body);
    res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
  const sendError = (res: ServerResponse, status: number, message: string, code?: string): void =>
    sendJson(res, status, { ok: false, error: { name: 'Error', message, ...(code ? { code } : {}) } });

  const guard = (req: IncomingMessage, url: URL): GuardResult => {
    const result = checkRequest(req.headers, url, { port, token });
    if (result.ok) return result;
    // The page itself carries the token in its URL; its scripts, styles and media use the cookie.
    const cookie = sessionCookie(req.headers.cookie, port);
    if (result.status === 401 && cookie !== null && checkRequest({ ...req.headers, authorization: `Bearer ${cookie}` }, url, { port, token }).ok) {
      return { ok: true };
    }
    return result;
  };

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) throw new BadRequest('Send the call as JSON (Content-Type: application/json).', 415);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBody) throw new BadRequest(`Request body is larger than ${maxBody} bytes.`);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBody) throw new BadRequest(`Request body is larger than ${maxBody} bytes.`);
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new BadRequest(`Request body is not valid JSON: ${(err as Error).message}`);
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, 405, 'API calls use POST.');
    if (!isApiMethod(method)) return sendError(res, 404, `Unknown API operation "${method}".`, 'UNKNOWN_METHOD');
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (err) {
      if (err instanceof BadRequest) {
        // Stop reading an oversized upload; the client gets the answer and the connection closes.
        res.setHeader('Connection', 'close');
        return sendError(res, err.status, err.message, 'BAD_REQUEST');
      }
      throw err;
    }
    try {
      const input = parseApiInput(method, body);
      const fn = opts.api[method] as (i: unknown) => Promise<unknown>;
      const result = await fn.call(opts.api, input);
      sendJson(res, 200, { ok: true, result: result ?? null });
    } catch (err) {
      const e = serializeError(err);
      const status = e.code === 'INVALID_INPUT' ? 400 : e.code?.endsWith('NOT_FOUND') ? 404 : 500;
      sendJson(res, status, { ok: false, error: e });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const g = guard(req, url);
    if (!g.ok) return sendError(res, g.status, g.message, g.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    // Raw path: a percent-encoded slash or dot must not turn into a different route.
    const rawPath = (req.url ?? '/').split('?')[0]!;

    const api = /^\/api\/([A-Za-z]+)$/.exec(rawPath);
    if (api) return handleApi(req, res, api[1]!);

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Only GET and HEAD are served here.');

    if (rawPath.startsWith('/media/')) {
      const m = /^\/media\/([A-Za-z0-9_-]{1,64})$/.exec(rawPath);
      const file = m ? opts.media.resolve(m[1]!) : null;
      if (!file) return sendError(res, 404, 'No such media in the open project.', 'MEDIA_NOT_FOUND');
      return sendFile(req, res, file, mediaContentType(file.path), securityHeaders());
    }

    const setCookie: Record<string, string> = url.searchParams.get('token') === token ? { 'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/` } : {};
    if (rawPath === '/status' || (rawPath === '/' && !opts.rendererDir)) {
      const html = await opts.statusPage();
      res.writeHead(200, { ...securityHeaders(), ...setCookie, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    if (opts.rendererDir) {
      const file = resolveStatic(opts.rendererDir, rawPath);
      if (file) return sendFile(req, res, file, file.type, { ...securityHeaders(), ...setCookie });
    }
    sendError(res, 404, 'Not found.', 'NOT_FOUND');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : 'Internal error');
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const g = guard(req, url);
    const rawPath = (req.url ?? '/').split('?')[0];
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!g.ok) return refuse(g.status, g.status === 401 ? 'Unauthorized' : 'Forbidden');
    if (rawPath !== '/events') return refuse(404, 'Not Found');
    const ws = upgradeToWebSocket(req, socket, head);
    if (!ws) return;
    sockets.add(ws);
    ws.onClose(() => sockets.delete(ws));
  });

  const unsubscribe = opts.subscribe((event, payload) => {
    const text = toWireJson({ event, payload });
    for (const ws of sockets) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  port = address.port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    address,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.close(1001, 'server closing');
      sockets.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function cookieName(port: number): string {
  return `v2m_session_${port}`;
}

function sessionCookie(header: string | undefined, port: number): string | null {
  if (!header) return null;
  const name = cookieName(port);
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}
