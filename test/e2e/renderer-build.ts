import path from 'node:path';
import { projectRoot } from '../helpers/paths.ts';
// @ts-expect-error plain JS build script shared with `npm start`, no type declarations
import { ensureRendererBuilt as build } from '../../scripts/build-renderer.js';

/**
 * The e2e suite builds its own copy (gitignored) instead of renderer/dist, so it never races a
 * developer's build and never changes what `npm start` serves.
 */
export const rendererDist = path.join(projectRoot, '.v2m-test-tmp', 'renderer-dist');

/** Builds the renderer when the build is missing or older than any source, so e2e never tests a stale UI. */
export async function ensureRendererBuilt(): Promise<void> {
  await (build as (outDir: string) => Promise<boolean>)(rendererDist);
}
