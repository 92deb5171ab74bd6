import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MediaError } from './errors.ts';

export type MediaTool = 'ffmpeg' | 'ffprobe';

export interface ResolvedBinary {
  tool: MediaTool;
  path: string;
  source: 'override' | 'bundled' | 'path';
}

const OVERRIDE_ENV: Record<MediaTool, string> = { ffmpeg: 'V2M_FFMPEG', ffprobe: 'V2M_FFPROBE' };
const BUNDLED_PACKAGE: Record<MediaTool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

/** Inside a packaged app the binaries live next to the asar archive, in `app.asar.unpacked`. */
export function unpackedFromAsar(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function bundledPath(tool: MediaTool): string | { error: string } {
  try {
    const require = createRequire(import.meta.url);
    const mod = require(BUNDLED_PACKAGE[tool]) as { path?: string };
    if (!mod.path) return { error: `${BUNDLED_PACKAGE[tool]} exported no path` };
    return unpackedFromAsar(mod.path);
  } catch (err) {
    return { error: `${BUNDLED_PACKAGE[tool]} not usable on ${process.platform}-${process.arch} (${(err as Error).message.split('\n')[0]})` };
  }
}

function searchPath(tool: MediaTool, envPath = process.env.PATH ?? ''): string | undefined {
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

const cache = new Map<MediaTool, ResolvedBinary>();

/**
 * Finds ffmpeg or ffprobe: the V2M_FFMPEG / V2M_FFPROBE override, then the bundled npm
 * package, then PATH. The error names every place that was tried.
 */
export function resolveBinary(tool: MediaTool): ResolvedBinary {
  const override = process.env[OVERRIDE_ENV[tool]];
  const cached = cache.get(tool);
  // The override may change at run time (tests, settings): the cache only holds for the same one.
  const cacheValid = override ? cached?.source === 'override' && cached.path === override : cached && cached.source !== 'override';
  if (cached && cacheValid) return cached;

  const tried: string[] = [];
  let found: ResolvedBinary | undefined;
  if (override) {
    if (isExecutableFile(override)) found = { tool, path: override, source: 'override' };
    else {
      // An explicit override that does not work is an error, not something to silently skip.
      throw new MediaError(
        'BINARY_NOT_FOUND',
        `${OVERRIDE_ENV[tool]} is set to "${override}", but ${existsSync(override) ? 'that is not an executable file' : 'no file exists there'}. Fix or unset ${OVERRIDE_ENV[tool]}.`,
      );
    }
  }
  if (!found) {
    const bundled = bundledPath(tool);
    if (typeof bundled === 'string' && isExecutableFile(bundled)) found = { tool, path: bundled, source: 'bundled' };
    else tried.push(typeof bundled === 'string' ? `bundled binary ${bundled} (missing or not executable)` : bundled.error);
  }
  if (!found) {
    const onPath = searchPath(tool);
    if (onPath) found = { tool, path: onPath, source: 'path' };
    else tried.push(`${tool} on PATH`);
  }
  if (!found) {
    throw new MediaError(
      'BINARY_NOT_FOUND',
      `Cannot find ${tool}. Tried: ${OVERRIDE_ENV[tool]} (not set); ${tried.join('; ')}. ` +
        `Reinstall with "npm install", install ${tool} on your PATH, or set ${OVERRIDE_ENV[tool]} to its full path.`,
    );
  }
  cache.set(tool, found);
  return found;
}

/** For tests that change the environment. */
export function clearBinaryCache(): void {
  cache.clear();
}
