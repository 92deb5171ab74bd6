import { describe, expect, it } from 'vitest';
import { bindDesktopActions, CHOOSE_VIDEO_CHANNEL, SHOW_IN_FOLDER_CHANNEL, type DesktopLike } from '../../../electron/main/desktop-actions.ts';
import type { IpcInvokeEventLike, IpcMainLike } from '../../../electron/main/ipc-binding.ts';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const call = (channel: string, url: string, ...args: unknown[]) => handlers.get(channel)!({ senderFrame: { url } }, ...args);
  return { ipc, handlers, call };
}

const APP = 'v2m-app://app/index.html';
const trusted = (url: string) => url.startsWith('v2m-app://app/');

describe('desktop-only actions', () => {
  it('returns the path chosen in the native dialog, or null when cancelled', async () => {
    const { ipc, call } = fakeIpc();
    const answers = [{ canceled: false, filePaths: ['/home/me/Videos/clip.mp4'] }, { canceled: true, filePaths: [] }];
    let asked: Parameters<DesktopLike['showOpenDialog']>[0] | undefined;
    bindDesktopActions(ipc, { showOpenDialog: async (o) => ((asked = o), answers.shift()!), showItemInFolder: () => undefined }, { isTrustedSender: trusted });
    expect(await call(CHOOSE_VIDEO_CHANNEL, APP)).toBe('/home/me/Videos/clip.mp4');
    expect(asked!.properties).toEqual(['openFile']);
    expect(asked!.filters[0]!.extensions).toContain('mp4');
    expect(await call(CHOOSE_VIDEO_CHANNEL, APP)).toBeNull();
  });

  it('shows only absolute paths in the file manager, and only for the app page', async () => {
    const { ipc, call, handlers } = fakeIpc();
    const shown: string[] = [];
    let dialogs = 0;
    const unbind = bindDesktopActions(ipc, { showOpenDialog: async () => (dialogs++, { canceled: true, filePaths: [] }), showItemInFolder: (p) => shown.push(p) }, { isTrustedSender: trusted });
    expect(await call(SHOW_IN_FOLDER_CHANNEL, APP, '/tmp/out/scored.mp4')).toBe(true);
    expect(await call(SHOW_IN_FOLDER_CHANNEL, APP, 'relative/file.mp4')).toBe(false);
    expect(await call(SHOW_IN_FOLDER_CHANNEL, APP, 42)).toBe(false);
    expect(await call(SHOW_IN_FOLDER_CHANNEL, 'https://evil.example/', '/etc/passwd')).toBe(false);
    expect(await call(CHOOSE_VIDEO_CHANNEL, 'https://evil.example/')).toBeNull();
    expect(shown).toEqual(['/tmp/out/scored.mp4']);
    expect(dialogs).toBe(0);
    unbind();
    expect(handlers.size).toBe(0);
  });
});
