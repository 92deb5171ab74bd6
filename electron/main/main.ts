import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/api/engine.ts';
import { LIBRARY_FILE } from '../core/store/index.ts';
import { startPanelServer, type PanelServer } from '../server/panel-server.ts';
import { statusPageHtml } from '../server/status-page.ts';
import { appProtocolHandler } from './app-protocol.ts';
import { APP_SCHEME, MEDIA_SCHEME, isAppUrl } from './content-security.ts';
import { bindDesktopActions } from './desktop-actions.ts';
import { bindApi, forwardEvents } from './ipc-binding.ts';
import { mediaProtocolHandler } from './media-protocol.ts';
import { lockDownContents } from './navigation-guard.ts';
import { createMainWindow } from './window.ts';
import { sweepStaleScratch } from '../core/scratch/index.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A second launch focuses the running app instead of opening the same library twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));
  void app.whenReady().then(start).catch((err: unknown) => {
    console.error('V2M Studio could not start:', err);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  // Temporary work left by a killed earlier run (never a live process's).
  sweepStaleScratch();
  const engine = new Engine({
    libraryFile: path.join(app.getPath('userData'), LIBRARY_FILE),
    transport: 'electron',
    mediaUrl: (id) => `${MEDIA_SCHEME}://media/${id}`,
    // Development: npm start fetched better-sqlite3 for Electron's ABI; packaged builds rebuild it in place.
    sqliteBinding: app.isPackaged ? undefined : process.env.V2M_SQLITE_BINDING,
  });
  // The app asks for no device or notification access; refuse every permission prompt.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const built = path.join(projectRoot, 'renderer', 'dist');
  protocol.handle(APP_SCHEME, appProtocolHandler({
    rendererDir: existsSync(path.join(built, 'index.html')) ? built : undefined,
    statusPage: async () => statusPageHtml(await engine.appInfo()),
  }));
  protocol.handle(MEDIA_SCHEME, mediaProtocolHandler(engine.media));
  const unbindApi = bindApi(ipcMain, engine, { isTrustedSender: isAppUrl });
  const unbindDesktop = bindDesktopActions(ipcMain, {
    showOpenDialog: (o) => {
      const parent = BrowserWindow.getFocusedWindow();
      const options = o as Electron.OpenDialogOptions;
      return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
    },
    showItemInFolder: (p) => shell.showItemInFolder(p),
  }, { isTrustedSender: isAppUrl });
  const unbind = () => {
    unbindApi();
    unbindDesktop();
  };

  // The editor panels' loopback port; the app keeps running without it (e.g. port refused).
  let panels: PanelServer | null = null;
  try {
    panels = await startPanelServer({
      api: engine, subscribe: (l) => engine.subscribe(l), dataDir: app.getPath('userData'), appName: app.getName(), appVersion: app.getVersion(),
    });
    console.log(`V2M Studio: editor panels on port ${panels.port}, pairing code ${panels.pairing.code().code}`);
    panels.pairing.onCodeChange((c) => console.log(`V2M Studio: next editor panel pairing code ${c.code}`));
  } catch (err) {
    console.error('V2M Studio: the editor panel port could not start:', err);
  }

  let win = openWindow(engine);
  app.on('second-instance', () => {
    if (win.isDestroyed()) win = openWindow(engine);
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = openWindow(engine);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    // Stop jobs (and their ffmpeg children) and close the library before exiting.
    event.preventDefault();
    closing = true;
    unbind();
    const stopPanels = panels ? panels.close() : Promise.resolve();
    stopPanels.finally(() => engine.close()).finally(() => app.exit(0));
  });
}

function openWindow(engine: Engine): BrowserWindow {
  const win = createMainWindow();
  const stop = forwardEvents((l) => engine.subscribe(l), win.webContents);
  win.on('closed', stop);
  return win;
}
