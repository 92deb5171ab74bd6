import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Every request and socket passes here first. Host and Origin stop DNS-rebinding pages from
// talking to the bridge; the token stops other local users and pages that guess the port.

export interface GuardConfig {
  port: number;
  token: string;
}

export type GuardResult = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

export function allowedHosts(port: number): string[] {
  return LOOPBACK_NAMES.map((h) => `${h}:${port}`);
}

export function allowedOrigins(port: number): string[] {
  return LOOPBACK_NAMES.map((h) => `http://${h}:${port}`);
}

/** The token from `Authorization: Bearer …` or the `token` query parameter. */
export function presentedToken(headers: IncomingHttpHeaders, url: URL): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  return url.searchParams.get('token');
}

export function tokensMatch(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkRequest(headers: IncomingHttpHeaders, url: URL, cfg: GuardConfig): GuardResult {
  const host = headers.host?.toLowerCase();
  if (!host || !allowedHosts(cfg.port).includes(host)) {
    return { ok: false, status: 403, message: `Host "${headers.host ?? ''}" is not this bridge; open the URL printed by npm start.` };
  }
  const origin = headers.origin;
  // Browsers send Origin on cross-origin requests, POSTs and sockets; tools may omit it.
  if (origin !== undefined && !allowedOrigins(cfg.port).includes(origin.toLowerCase())) {
    return { ok: false, status: 403, message: `Origin "${origin}" may not use this bridge.` };
  }
  if (!tokensMatch(presentedToken(headers, url), cfg.token)) {
    return { ok: false, status: 401, message: 'Missing or wrong session token; open the URL printed by npm start (it ends with ?token=…).' };
  }
  return { ok: true };
}
