import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/api/engine.ts';
import { defaultDataDir, LIBRARY_FILE } from '../core/store/index.ts';
import { sweepStaleScratch } from '../core/scratch/index.ts';
import { startBridge, type BridgeServer } from './bridge-server.ts';
import { startPanelServer, type PanelServer } from './panel-server.ts';
import { statusPageHtml } from './status-page.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningBridge {
  engine: Engine;
  server: BridgeServer;
  /** The editor panels' port (Premiere, Resolve), when started. */
  panels: PanelServer | null;
  close(): Promise<void>;
}

/** Opens the library, starts the engine and serves it on loopback with a fresh token. */
export async function openBridge(opts: { dataDir?: string; port?: number; rendererDir?: string; panels?: boolean; panelPort?: number } = {}): Promise<RunningBridge> {
  const token = randomBytes(24).toString('base64url');
  // Temporary work left by a killed earlier run (never a live process's).
  sweepStaleScratch();
  const dataDir = opts.dataDir ?? defaultDataDir();
  const built = path.join(projectRoot, 'renderer', 'dist');
  const rendererDir = opts.rendererDir ?? (existsSync(path.join(built, 'index.html')) ? built : undefined);
  const engine = new Engine({
    libraryFile: path.join(dataDir, LIBRARY_FILE),
    transport: 'bridge',
    mediaUrl: (id) => `/media/${id}?token=${token}`,
  });
  let server: BridgeServer;
  try {
    server = await startBridge({
      api: engine,
      subscribe: (l) => engine.subscribe(l),
      media: engine.media,
      rendererDir,
      statusPage: async () => statusPageHtml(await engine.appInfo()),
      token,
      ...(opts.port !== undefined ? { port: opts.port } : {}),
    });
  } catch (err) {
    await engine.close();
    throw err;
  }
  let panels: PanelServer | null = null;
  if (opts.panels) {
    try {
      const info = await engine.appInfo();
      panels = await startPanelServer({
        api: engine, subscribe: (l) => engine.subscribe(l), dataDir, appName: info.appName, appVersion: info.appVersion,
        ...(opts.panelPort !== undefined ? { port: opts.panelPort } : {}),
      });
    } catch (err) {
      await server.close();
      await engine.close();
      throw err;
    }
  }
  return {
    engine,
    server,
    panels,
    close: async () => {
      await panels?.close();
      await server.close();
      await engine.close();
    },
  };
}

/** `npm start` without Electron: serve until Ctrl+C, then stop jobs and close the library. */
export async function runBridge(): Promise<void> {
  const bridge = await openBridge({ panels: true });
  const info = await bridge.engine.appInfo();
  process.stdout.write(
    `${info.appName} ${info.appVersion} — the desktop shell is not available here, so the app is served to your browser.\n` +
      `Open: ${bridge.server.url}\n` +
      `(only this machine can connect; the token in the URL is required). Press Ctrl+C to stop.\n`,
  );
  for (const [name, t] of [['ffmpeg', info.ffmpeg], ['ffprobe', info.ffprobe]] as const) {
    process.stdout.write(t ? `${name} ${t.version}: ${t.path} (${t.origin})\n` : `${name}: not found\n`);
  }
  if (bridge.panels) {
    const { code } = bridge.panels.pairing.code();
    process.stdout.write(`Editor panels (Premiere Pro, DaVinci Resolve): port ${bridge.panels.port}, pairing code ${code}\n`);
    bridge.panels.pairing.onCodeChange((c) => process.stdout.write(`Next editor panel pairing code: ${c.code}\n`));
  }
  for (const p of info.problems) process.stdout.write(`warning: ${p}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('\nStopping…\n');
      bridge.close().then(resolve, (err: unknown) => {
        console.error(err);
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
