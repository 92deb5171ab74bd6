import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { lockDownContents, type GuardedContents } from '../../../electron/main/navigation-guard.ts';

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (event: string, l: (...a: unknown[]) => void) => emitter.on(event, l),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => {
      openHandler = h;
    },
  } as unknown as GuardedContents;
  const attempt = (event: string, url: string): boolean => {
    let prevented = false;
    emitter.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, attempt, open: (url: string) => openHandler!({ url }) };
}

describe('navigation guard', () => {
  it('lets the app move between its own pages and refuses everything else', () => {
    const f = fakeContents();
    lockDownContents(f.contents);
    expect(f.attempt('will-navigate', 'v2m-app://app/settings')).toBe(false);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:8080/', 'v2m-media://media/x']) {
      expect(f.attempt('will-navigate', url), url).toBe(true);
      expect(f.attempt('will-redirect', url), url).toBe(true);
    }
    expect(f.attempt('will-attach-webview', 'v2m-app://app/')).toBe(true);
    expect(f.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(f.open('v2m-app://app/other')).toEqual({ action: 'deny' });
  });
});

describe('window options', () => {
  it('isolate and sandbox the renderer with no Node access', async () => {
    const { secureWindowOptions } = await import('../../../electron/main/window-options.ts');
    const w = secureWindowOptions('/app/preload.cjs').webPreferences!;
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, preload: '/app/preload.cjs' });
  });
});
