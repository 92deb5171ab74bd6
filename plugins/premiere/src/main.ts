import { AppConnection, type SocketLike } from './app-connection.ts';
import type { PremiereHost } from './host-types.ts';
import { PanelController } from './panel-controller.ts';

// The panel's page: buttons and messages only; everything it does lives in the tested modules.

declare const WebSocket: new (url: string) => SocketLike;
const ppro = require('premierepro') as PremiereHost;
const store = window.localStorage;
const app = new AppConnection((url) => new WebSocket(url), store);
const panel = new PanelController(ppro, app, store);

const el = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const log = (text: string): void => {
  el('log').textContent = text;
};
const showError = (err: unknown): void => {
  el('error').textContent = err instanceof Error ? err.message : String(err);
};

app.onStateChange = (state, detail) => {
  el('state').textContent = detail;
  el('pairing').hidden = state !== 'unpaired';
  for (const id of ['send', 'generate', 'place']) (el<HTMLButtonElement>(id)).disabled = state !== 'ready';
};

const run = (fn: () => Promise<unknown>) => async () => {
  el('error').textContent = '';
  try {
    await fn();
  } catch (err) {
    showError(err);
  }
};

const connect = () => app.connect(Number(el<HTMLInputElement>('port').value) || undefined);
el('connect').addEventListener('click', run(connect));
el('pair').addEventListener('click', run(() => app.pair(el<HTMLInputElement>('code').value)));
el('send').addEventListener('click', run(async () => {
  const r = await panel.sendSequence(log);
  if (r.warnings.length) log(r.warnings.join('\n'));
}));
el('generate').addEventListener('click', run(async () => {
  await panel.generate(log);
  log('Music generated: press Place music.');
}));
el('place').addEventListener('click', run(async () => {
  const r = await panel.placeMusic();
  log(`Placed the music on audio track ${r.audioTrackIndex + 1} and ${r.markersAdded} markers (Edit > Undo removes them).`);
}));
void run(connect)();
