import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteDevServer } from 'vite';

// Specs load rune modules (*.svelte.ts) through the renderer's own Vite config, since plain
// vitest has no Svelte compiler. Server-side compilation keeps the logic and drops reactivity,
// which is what these specs check.
const rendererRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RuneModules {
  load<T>(srcPath: string): Promise<T>;
  close(): Promise<void>;
}

export async function runeModules(): Promise<RuneModules> {
  const { createServer } = await import('vite');
  const server: ViteDevServer = await createServer({
    configFile: path.join(rendererRoot, 'vite.config.ts'),
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: 'custom',
    logLevel: 'error',
  });
  return {
    load: async <T>(srcPath: string) => (await server.ssrLoadModule(srcPath)) as T,
    close: () => server.close(),
  };
}
