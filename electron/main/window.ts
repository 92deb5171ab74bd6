import { BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN } from './content-security.ts';
import { secureWindowOptions } from './window-options.ts';

const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}
