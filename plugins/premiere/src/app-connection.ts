import { DEFAULT_PANEL_PORT, type PanelJobState, type PanelOp, type PanelOps, type PanelPush, type PanelResponse } from '../../../electron/shared/panel-protocol.ts';

// The panel's side of the panel protocol over UXP's WebSocket (a UXP panel can only be a
// client). Requests carry ids; pushed job events go to `onJob`. The token lives in the panel's
// storage; without one the panel asks for the pairing code.

export interface SocketLike {
  readyState: number;
  // The panel never reads these events' fields, so any event shape (UXP's, the tests') fits.
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  send(text: string): void;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'unpaired' | 'ready';

export class PanelRequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PanelRequestError';
  }
}

const TOKEN_KEY = 'v2m.panelToken';

export class AppConnection {
  state: ConnectionState = 'disconnected';
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly jobListeners = new Set<(s: PanelJobState) => void>();
  onStateChange: ((state: ConnectionState, detail: string) => void) | null = null;

  constructor(private readonly makeSocket: SocketFactory, private readonly store: TokenStore, private readonly client = 'Premiere Pro panel') {}

  /** Connects and authenticates with the stored token; resolves to the resulting state. */
  async connect(port = DEFAULT_PANEL_PORT, timeoutMs = 3000): Promise<ConnectionState> {
    this.close();
    this.setState('connecting', `Connecting to V2M Studio on port ${port}…`);
    const socket = this.makeSocket(`ws://127.0.0.1:${port}/panel`);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PanelRequestError('NO_APP', notRunning(port))), timeoutMs);
      socket.onopen = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.onerror = () => {
        clearTimeout(timer);
        reject(new PanelRequestError('NO_APP', notRunning(port)));
      };
      socket.onclose = () => {
        clearTimeout(timer);
        reject(new PanelRequestError('NO_APP', notRunning(port)));
      };
    }).catch((err: Error) => {
      this.socket = null;
      this.setState('disconnected', err.message);
      throw err;
    });
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = () => {
      this.socket = null;
      for (const p of this.pending.values()) p.reject(new PanelRequestError('NO_APP', 'V2M Studio closed the connection (was the app quit?).'));
      this.pending.clear();
      this.setState('disconnected', 'V2M Studio is not connected.');
    };
    socket.onerror = null;
    const token = this.store.getItem(TOKEN_KEY);
    if (!token) return this.setState('unpaired', 'Enter the pairing code V2M Studio shows.');
    try {
      await this.request('auth', { token });
      return this.setState('ready', 'Connected to V2M Studio.');
    } catch (err) {
      if ((err as PanelRequestError).code !== 'NOT_PAIRED') throw err;
      this.store.removeItem(TOKEN_KEY);
      return this.setState('unpaired', (err as Error).message);
    }
  }

  async pair(code: string): Promise<void> {
    const { token } = (await this.request('pair', { code, client: this.client })) as PanelOps['pair']['result'];
    this.store.setItem(TOKEN_KEY, token);
    await this.request('auth', { token });
    this.setState('ready', 'Paired with V2M Studio.');
  }

  request<O extends PanelOp>(op: O, input: PanelOps[O]['input']): Promise<PanelOps[O]['result']> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new PanelRequestError('NO_APP', 'V2M Studio is not connected: start the app, then press Connect.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, op, input }));
    });
  }

  onJob(listener: (s: PanelJobState) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  /** Resolves when the job is done, rejects with its error when it fails. */
  async waitForJob(jobId: string, onProgress?: (s: PanelJobState) => void): Promise<PanelJobState> {
    return new Promise((resolve, reject) => {
      const settle = (s: PanelJobState): boolean => {
        if (s.jobId !== jobId) return false;
        onProgress?.(s);
        if (s.state === 'done') resolve(s);
        else if (s.state === 'failed') reject(new PanelRequestError('FAILED', s.error ?? 'The job failed in V2M Studio.'));
        else return false;
        stop();
        return true;
      };
      const stop = this.onJob((s) => void settle(s));
      // The job may have finished before we listened.
      this.request('job', { jobId }).then((s) => void settle(s), (err: Error) => {
        stop();
        reject(err);
      });
    });
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  private setState(state: ConnectionState, detail: string): ConnectionState {
    this.state = state;
    this.onStateChange?.(state, detail);
    return state;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const msg = JSON.parse(data) as PanelResponse | PanelPush;
    if ('event' in msg) {
      for (const l of this.jobListeners) l(msg.payload);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new PanelRequestError(msg.error.code, msg.error.message));
  }
}

const notRunning = (port: number): string => `V2M Studio is not running (nothing answers on 127.0.0.1:${port}). Start the app, then press Connect.`;
