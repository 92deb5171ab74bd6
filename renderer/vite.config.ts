import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// Built into renderer/dist, where the browser bridge and the Electron shell look for it.
export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: path.join(here, 'svelte.config.js') })],
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows no inline script, so every module stays a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
