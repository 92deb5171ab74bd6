import type { V2mApi } from '../shared/api.ts';
import { serializeError } from '../shared/errors.ts';
import type { V2mEventName, V2mEvents } from '../shared/events.ts';
import { apiMethods, parseApiInput } from '../shared/schemas.ts';
import type { SerializedError } from '../shared/domain.ts';

/** The part of Electron's `ipcMain` the binding uses, so tests can pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcInvokeEventLike {
  senderFrame: { url: string } | null;
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** What the renderer receives for every call: Electron would otherwise flatten errors to text. */
export type IpcEnvelope = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export const IPC_CALL_PREFIX = 'v2m:call:';
export const IPC_EVENT_CHANNEL = 'v2m:event';

/**
 * Exposes every operation of the contract as `v2m:call:<method>`. Calls from frames that are not
 * the app's own page are refused; inputs are validated before the engine sees them.
 */
export function bindApi(ipcMain: IpcMainLike, api: V2mApi, opts: { isTrustedSender: (url: string) => boolean }): () => void {
  for (const method of apiMethods) {
    ipcMain.handle(IPC_CALL_PREFIX + method, async (event, input): Promise<IpcEnvelope> => {
      try {
        const url = event.senderFrame?.url ?? '';
        if (!opts.isTrustedSender(url)) {
          return { ok: false, error: { name: 'Error', message: `Calls from ${url || 'an unknown frame'} are not allowed.`, code: 'FORBIDDEN' } };
        }
        const parsed = parseApiInput(method, input);
        const fn = api[method] as (i: unknown) => Promise<unknown>;
        return { ok: true, result: (await fn.call(api, parsed)) ?? null };
      } catch (err) {
        return { ok: false, error: serializeError(err) };
      }
    });
  }
  return () => {
    for (const method of apiMethods) ipcMain.removeHandler(IPC_CALL_PREFIX + method);
  };
}

/** Forwards engine events to one window until it closes. */
export function forwardEvents(
  subscribe: (l: <E extends V2mEventName>(event: E, payload: V2mEvents[E]) => void) => () => void,
  contents: WebContentsLike,
): () => void {
  const unsubscribe = subscribe((event, payload) => {
    if (contents.isDestroyed()) return unsubscribe();
    contents.send(IPC_EVENT_CHANNEL, event, payload);
  });
  return unsubscribe;
}
