// Sandboxed preload: plain CommonJS, only `electron`'s renderer modules. It exposes one generic
// proxy; the typed client (electron/shared/ipc-client.ts) and the main process do the rest.
const { contextBridge, ipcRenderer, webUtils } = require('electron');

const METHOD = /^[A-Za-z]{1,64}$/;
const EVENTS = new Set(['job:progress', 'job:done', 'job:failed']);

contextBridge.exposeInMainWorld('v2m', {
  /** Resolves with { ok, result } or { ok: false, error }; the client turns errors into Errors. */
  invoke(method, input) {
    if (typeof method !== 'string' || !METHOD.test(method)) return Promise.reject(new Error(`Invalid API method ${String(method)}`));
    return ipcRenderer.invoke(`v2m:call:${method}`, input);
  },
  /** The path of a dropped or picked File (sandboxed pages cannot see it otherwise). */
  pathForFile(file) {
    return webUtils.getPathForFile(file);
  },
  /** The native file dialog: resolves with the chosen video's path, or null. */
  chooseVideo() {
    return ipcRenderer.invoke('v2m:desktop:chooseVideo');
  },
  /** Reveals an exported file in the system file manager. */
  showInFolder(fullPath) {
    return ipcRenderer.invoke('v2m:desktop:showInFolder', fullPath);
  },
  /** Subscribes to an engine event; returns an unsubscribe function. */
  on(event, listener) {
    if (!EVENTS.has(event) || typeof listener !== 'function') throw new Error(`Unknown event ${String(event)}`);
    const handler = (_e, name, payload) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('v2m:event', handler);
    return () => ipcRenderer.removeListener('v2m:event', handler);
  },
});
