import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { PanelOp, PanelPush, PanelResponse, PanelStatus } from '../shared/panel-protocol.ts';
import { DEFAULT_PANEL_PORT, PANEL_PROTOCOL_VERSION } from '../shared/panel-protocol.ts';
import { discoveryFor, removeDiscovery, writeDiscovery } from './panel-discovery.ts';
import { PairingBook, PairingError, PAIRING_FILE } from './panel-pairing.ts';
import { isPanelOp, PanelError, parsePanelInput } from './panel-schemas.ts';
import { PanelService, type PanelServiceOptions } from './panel-service.ts';
import { allowedHosts } from './request-guard.ts';
import { upgradeToWebSocket, type WebSocketConnection } from './websocket.ts';

// The panels' door into the app: loopback only, the bridge's Host rule against DNS rebinding,
// no web page origins at all (a panel is not a page), and every operation but `pair` behind a
// token that only pairing hands out.

export interface PanelServerOptions extends PanelServiceOptions {
  appName: string;
  appVersion: string;
  /** Default: DEFAULT_PANEL_PORT, or a free port when that one is taken; 0 always picks a free one. */
  port?: number;
  /** Write the discovery file into dataDir (default true). */
  discovery?: boolean;
  maxBodyBytes?: number;
}

export interface PanelServer {
  port: number;
  pairing: PairingBook;
  service: PanelService;
  /** The discovery file, when one was written. */
  discoveryFile: string | null;
  close(): Promise<void>;
}

const STATUS_OF: Record<string, number> = {
  BAD_REQUEST: 400, UNKNOWN_OP: 404, NOT_PAIRED: 401, BAD_CODE: 403, PAIRING_LOCKED: 429,
  NOT_FOUND: 404, OFFLINE_MEDIA: 409, NO_PICTURE: 409, NO_GENERATION: 409, FAILED: 500,
};

/** Web pages always send an http(s) Origin; editor plugins and curl send none or their own scheme. */
export function refusedOrigin(origin: string | undefined): boolean {
  return origin !== undefined && /^https?:/i.test(origin.trim());
}

export async function startPanelServer(opts: PanelServerOptions): Promise<PanelServer> {
  const pairing = new PairingBook(path.join(opts.dataDir, PAIRING_FILE));
  const service = new PanelService(opts);
  const maxBody = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  const sockets = new Set<WebSocketConnection>();
  let port = 0;

  const statusFor = (client: string): PanelStatus => ({ app: opts.appName, version: opts.appVersion, protocol: PANEL_PROTOCOL_VERSION, client });

  /** Runs one operation for a caller holding `client` (null until paired/authenticated). */
  async function dispatch(op: string, input: unknown, client: string | null): Promise<unknown> {
    if (!isPanelOp(op)) throw new PanelError('UNKNOWN_OP', `Unknown panel operation "${op}"; this V2M Studio speaks panel protocol ${PANEL_PROTOCOL_VERSION}.`);
    if (op === 'pair') {
      const i = parsePanelInput('pair', input);
      return { token: pairing.pair(i.code, i.client) };
    }
    if (op === 'auth') return statusFor(pairing.verify(parsePanelInput('auth', input).token));
    if (client === null) pairing.verify(null);
    if (op === 'status') return statusFor(client!);
    const o = op as Exclude<PanelOp, 'pair' | 'auth' | 'status'>;
    const handler = service[o] as (i: unknown) => Promise<unknown>;
    return handler.call(service, parsePanelInput(o, input));
  }

  const failure = (err: unknown): { message: string; code: string } => {
    if (err instanceof PanelError || err instanceof PairingError) return { message: err.message, code: err.code };
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : 'The operation failed.';
    return { message, code: code === 'INVALID_INPUT' ? 'BAD_REQUEST' : typeof code === 'string' && code.endsWith('NOT_FOUND') ? 'NOT_FOUND' : 'FAILED' };
  };

  const guard = (req: IncomingMessage): string | null => {
    const host = req.headers.host?.toLowerCase();
    if (!host || !allowedHosts(port).includes(host)) return `Host "${req.headers.host ?? ''}" is not V2M Studio's panel port.`;
    if (refusedOrigin(req.headers.origin)) return `Web pages (origin "${req.headers.origin}") may not use the panel port.`;
    return null;
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  };

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBody) throw new PanelError('BAD_REQUEST', `Request body is larger than ${maxBody} bytes.`);
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new PanelError('BAD_REQUEST', `Request body is not valid JSON: ${(err as Error).message}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = guard(req);
    if (refused) return sendJson(res, 403, { ok: false, error: { message: refused, code: 'FORBIDDEN' } });
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (rawPath === '/panel/v1/ping' && req.method === 'GET') {
      return sendJson(res, 200, { ok: true, result: { app: opts.appName, version: opts.appVersion, protocol: PANEL_PROTOCOL_VERSION } });
    }
    const m = /^\/panel\/v1\/([A-Za-z]+)$/.exec(rawPath);
    if (!m) return sendJson(res, 404, { ok: false, error: { message: 'Not a panel route.', code: 'NOT_FOUND' } });
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { message: 'Panel operations use POST.', code: 'BAD_REQUEST' } });
    try {
      const body = await readBody(req);
      const auth = req.headers.authorization;
      let client: string | null = null;
      if (m[1] !== 'pair') client = pairing.verify(typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null);
      const result = await dispatch(m[1]!, body, client);
      sendJson(res, 200, { ok: true, result });
    } catch (err) {
      const e = failure(err);
      if (e.code === 'BAD_REQUEST') res.setHeader('Connection', 'close');
      sendJson(res, STATUS_OF[e.code] ?? 500, { ok: false, error: e });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { message: 'Internal error', code: 'FAILED' } });
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refused = guard(req);
    const rawPath = (req.url ?? '/').split('?')[0];
    if (refused) return void socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    if (rawPath !== '/panel') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    const ws = upgradeToWebSocket(req, socket, head);
    if (!ws) return;
    sockets.add(ws);
    let client: string | null = null;
    const stopPush = service.onJob((state) => {
      if (client === null) return;
      const push: PanelPush = { event: state.state === 'running' ? 'job:progress' : state.state === 'done' ? 'job:done' : 'job:failed', payload: state };
      ws.send(JSON.stringify(push));
    });
    ws.onClose(() => {
      stopPush();
      sockets.delete(ws);
    });
    ws.onMessage((text) => {
      let id = 0;
      void (async () => {
        let reply: PanelResponse;
        try {
          const msg = JSON.parse(text) as { id?: unknown; op?: unknown; input?: unknown };
          id = typeof msg.id === 'number' ? msg.id : 0;
          if (typeof msg.op !== 'string') throw new PanelError('BAD_REQUEST', 'A panel message needs "op" (a string) and "id" (a number).');
          const result = await dispatch(msg.op, msg.input, client);
          if (msg.op === 'auth') client = (result as PanelStatus).client;
          reply = { id, ok: true, result };
        } catch (err) {
          reply = { id, ok: false, error: failure(err) };
        }
        ws.send(JSON.stringify(reply));
      })();
    });
  });

  const listen = (p: number): Promise<void> => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (opts.port !== undefined) await listen(opts.port);
  else await listen(DEFAULT_PANEL_PORT).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return listen(0);
  });
  port = (server.address() as AddressInfo).port;
  const info = discoveryFor(opts.dataDir, port, opts.appName);
  mkdirSync(info.exchangeDir, { recursive: true });
  const discoveryFile = opts.discovery === false ? null : writeDiscovery(opts.dataDir, info);

  return {
    port,
    pairing,
    service,
    discoveryFile,
    close: async () => {
      if (discoveryFile) removeDiscovery(opts.dataDir, port);
      service.close();
      for (const ws of sockets) ws.close(1001, 'app closing');
      sockets.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
