import type { V2mApi, V2mClient, V2mMethod } from './api.ts';
import type { SerializedError } from './domain.ts';
import { deserializeError } from './errors.ts';
import type { V2mEventListener, V2mEventName } from './events.ts';
import { apiMethods } from './schemas.ts';
import { fromWireJson } from './wire-json.ts';

export type Envelope = { ok: true; result: unknown } | { ok: false; error: SerializedError };

/** Builds the typed `V2mApi` over any transport that can send one call and return its envelope. */
export function apiOverTransport(call: (method: V2mMethod, input: unknown) => Promise<Envelope>): V2mApi {
  const api = {} as Record<V2mMethod, (input?: unknown) => Promise<unknown>>;
  for (const method of apiMethods) {
    api[method] = async (input?: unknown) => {
      const env = await call(method, input ?? {});
      if (env.ok) return env.result;
      throw deserializeError(env.error);
    };
  }
  return api as unknown as V2mApi;
}

/** What the preload script exposes as `window.v2m`. */
export interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<Envelope>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The renderer's client inside Electron. */
export function createIpcClient(bridge: PreloadBridge): V2mClient {
  return {
    api: apiOverTransport((method, input) => bridge.invoke(method, input)),
    on: <E extends V2mEventName>(event: E, listener: V2mEventListener<E>) => bridge.on(event, listener as (p: unknown) => void),
  };
}

export interface BridgeClientOptions {
  /** e.g. http://127.0.0.1:5173 (the page's own origin in the browser). */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** A WebSocket constructor (the browser's); events are unavailable without one. */
  WebSocket?: new (url: string) => WebSocketLike;
}

export interface WebSocketLike {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  close(): void;
}

/** The renderer's client in a browser talking to the bridge (and the tests' client). */
export function createBridgeClient(opts: BridgeClientOptions): V2mClient & { close(): void } {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/$/, '');
  const api = apiOverTransport(async (method, input) => {
    const res = await doFetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
      body: JSON.stringify(input),
    });
    const text = await res.text();
    try {
      return fromWireJson(text) as Envelope;
    } catch {
      return { ok: false, error: { name: 'Error', message: `The bridge answered ${res.status} without a JSON body.` } };
    }
  });
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  const ensureSocket = (): void => {
    if (socket || !opts.WebSocket) return;
    const wsUrl = `${base.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(opts.token)}`;
    socket = new opts.WebSocket(wsUrl);
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      const { event, payload } = fromWireJson(ev.data) as { event: string; payload: unknown };
      for (const l of listeners.get(event) ?? []) l(payload);
    };
    socket.onclose = () => {
      socket = null;
    };
  };
  return {
    api,
    on: <E extends V2mEventName>(event: E, listener: V2mEventListener<E>) => {
      if (!opts.WebSocket) throw new Error('Events need a WebSocket implementation.');
      ensureSocket();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    close: () => {
      socket?.close();
      socket = null;
    },
  };
}

export interface PageEnvironment {
  /** Set by the preload script inside Electron. */
  v2m?: PreloadBridge | undefined;
  location: { origin: string; search: string };
  WebSocket?: BridgeClientOptions['WebSocket'];
}

/** The renderer's one entry point: IPC inside Electron, the bridge (token from the URL) in a browser. */
export function connectFromPage(env: PageEnvironment): V2mClient {
  if (env.v2m) return createIpcClient(env.v2m);
  const token = new URLSearchParams(env.location.search).get('token');
  if (!token) throw new Error('This page needs its session token: open the URL that npm start printed (it ends with ?token=…).');
  return createBridgeClient({ baseUrl: env.location.origin, token, ...(env.WebSocket ? { WebSocket: env.WebSocket } : {}) });
}
