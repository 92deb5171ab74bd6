import path from 'node:path';
import type { IpcMainLike } from './ipc-binding.ts';

/** The parts of Electron's `dialog` and `shell` used here, so tests can pass fakes. */
export interface DesktopLike {
  showOpenDialog(options: { title: string; properties: string[]; filters: Array<{ name: string; extensions: string[] }> }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showItemInFolder(fullPath: string): void;
}

export const CHOOSE_VIDEO_CHANNEL = 'v2m:desktop:chooseVideo';
export const SHOW_IN_FOLDER_CHANNEL = 'v2m:desktop:showInFolder';

export const VIDEO_EXTENSIONS = ['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', 'mts', 'mxf'];

/**
 * What only the desktop shell can do, outside the shared API contract: the native file dialog
 * (a sandboxed page cannot learn a file's path otherwise) and "show in folder" after an export.
 */
export function bindDesktopActions(ipcMain: IpcMainLike, desktop: DesktopLike, opts: { isTrustedSender: (url: string) => boolean }): () => void {
  const trusted = (event: { senderFrame: { url: string } | null }) => opts.isTrustedSender(event.senderFrame?.url ?? '');
  ipcMain.handle(CHOOSE_VIDEO_CHANNEL, async (event) => {
    if (!trusted(event)) return null;
    const r = await desktop.showOpenDialog({
      title: 'Import a video',
      properties: ['openFile'],
      filters: [{ name: 'Videos', extensions: VIDEO_EXTENSIONS }, { name: 'All files', extensions: ['*'] }],
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  ipcMain.handle(SHOW_IN_FOLDER_CHANNEL, async (event, target) => {
    if (!trusted(event)) return false;
    if (typeof target !== 'string' || !path.isAbsolute(target) || target.includes('\0')) return false;
    desktop.showItemInFolder(target);
    return true;
  });
  return () => {
    ipcMain.removeHandler(CHOOSE_VIDEO_CHANNEL);
    ipcMain.removeHandler(SHOW_IN_FOLDER_CHANNEL);
  };
}
