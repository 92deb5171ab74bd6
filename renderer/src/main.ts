import { mount } from 'svelte';
import { connectFromPage } from '../../electron/shared/client.ts';
import type { PageEnvironment, PreloadBridge } from '../../electron/shared/client.ts';
import App from './App.svelte';
import { AppState } from './lib/app-state.svelte.ts';
import './app.css';

const target = document.getElementById('app')!;
try {
  const client = connectFromPage({
    v2m: (window as unknown as { v2m?: PreloadBridge }).v2m,
    location: window.location,
    // The contract types the socket structurally (onmessage with { data }); the DOM's is a subtype in practice.
    WebSocket: window.WebSocket as unknown as PageEnvironment['WebSocket'],
  });
  mount(App, { target, props: { app: new AppState(client) } });
} catch (err) {
  // Without a session token (or the preload bridge) nothing works: say how to get in.
  const p = document.createElement('p');
  p.className = 'error banner';
  p.setAttribute('role', 'alert');
  p.textContent = err instanceof Error ? err.message : String(err);
  target.replaceChildren(p);
}
