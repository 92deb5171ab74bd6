import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../store/data-dir.ts';

/**
 * The app's bundled `native-models/` folder: V2M_BUNDLED_MODELS, else the packaged resources
 * folder the shell passes in, else the repository's own (development and the CLI).
 */
export function bundledModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.V2M_BUNDLED_MODELS) return path.resolve(env.V2M_BUNDLED_MODELS);
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../native-models');
}

/** Where `v2m models install` puts packs: V2M_MODELS_DIR, else `<data dir>/models`. */
export function userModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.V2M_MODELS_DIR) return path.resolve(env.V2M_MODELS_DIR);
  return path.join(defaultDataDir(env), 'models');
}
