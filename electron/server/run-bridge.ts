import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/api/engine.ts';
import { defaultDataDir, LIBRARY_FILE } from '../core/store/index.ts';
import { sweepStaleScratch } from '../core/scratch/index.ts';
import { startBridge, type BridgeServer } from './bridge-server.ts';
import { statusPageHtml } from './status-page.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningBridge {
  engine: Engine;
  server: BridgeServer;
  close(): Promise<void>;
}

/** Opens the library, starts the engine and serves it on loopback with a fresh token. */
export async function openBridge(opts: { dataDir?: string; port?: number; rendererDir?: string } = {}): Promise<RunningBridge> {
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
  return {
    engine,
    server,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}

/** `npm start` without Electron: serve until Ctrl+C, then stop jobs and close the library. */
export async function runBridge(): Promise<void> {
  const bridge = await openBridge();
  const info = await bridge.engine.appInfo();
  process.stdout.write(
    `${info.appName} ${info.appVersion} — the desktop shell is not available here, so the app is served to your browser.\n` +
      `Open: ${bridge.server.url}\n` +
      `(only this machine can connect; the token in the URL is required). Press Ctrl+C to stop.\n`,
  );
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
