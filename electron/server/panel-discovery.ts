import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PANEL_DISCOVERY_FILE, PANEL_PROTOCOL_VERSION, type PanelDiscovery } from '../shared/panel-protocol.ts';
import { writeFileAtomic } from '../core/files/atomic-write.ts';

// Scripts (Resolve) cannot see the app's window; they read the port from this file. It never
// holds the token: a panel still has to pair.

export function discoveryFor(dataDir: string, port: number, appName: string, now = Date.now()): PanelDiscovery {
  return {
    protocol: PANEL_PROTOCOL_VERSION,
    app: appName,
    port,
    pid: process.pid,
    httpBase: `http://127.0.0.1:${port}/panel/v1`,
    wsUrl: `ws://127.0.0.1:${port}/panel`,
    exchangeDir: path.join(dataDir, 'panel-exchange'),
    startedAt: now,
  };
}

export function writeDiscovery(dataDir: string, info: PanelDiscovery): string {
  const file = path.join(dataDir, PANEL_DISCOVERY_FILE);
  writeFileAtomic(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o644, mkdir: true });
  return file;
}

/** Removes the file only if it is still ours (a second app instance may have replaced it). */
export function removeDiscovery(dataDir: string, port: number): void {
  const file = path.join(dataDir, PANEL_DISCOVERY_FILE);
  const current = readDiscovery(dataDir);
  if (current && current.port === port && current.pid === process.pid) rmSync(file, { force: true });
}

export function readDiscovery(dataDir: string): PanelDiscovery | null {
  const file = path.join(dataDir, PANEL_DISCOVERY_FILE);
  if (!existsSync(file)) return null;
  try {
    const d = JSON.parse(readFileSync(file, 'utf8')) as PanelDiscovery;
    return typeof d.port === 'number' && typeof d.pid === 'number' ? d : null;
  } catch {
    return null;
  }
}
