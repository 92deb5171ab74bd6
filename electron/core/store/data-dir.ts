import os from 'node:os';
import path from 'node:path';

/**
 * Where the library lives outside Electron (CLI, browser bridge). Electron passes its own
 * `userData` path instead. `V2M_DATA_DIR` overrides both.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.V2M_DATA_DIR) return path.resolve(env.V2M_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'V2M Studio');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'V2M Studio');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'V2M Studio');
}

export const LIBRARY_FILE = 'library.sqlite';
