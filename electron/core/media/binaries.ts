import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MediaError } from './errors.ts';

export type MediaTool = 'ffmpeg' | 'ffprobe';

/**
 * Where a binary was found: the V2M_FFMPEG / V2M_FFPROBE override, ffmpeg-static's downloaded
 * binary (ffmpeg only), the @ffmpeg-installer / @ffprobe-installer package (`bundled`), or PATH.
 */
export type BinarySource = 'override' | 'ffmpeg-static' | 'bundled' | 'path';

export interface ResolvedBinary {
  tool: MediaTool;
  path: string;
  source: BinarySource;
  /** The source in words, with the package and its version: "ffmpeg-static 5.3.0", "V2M_FFMPEG", "PATH". */
  origin: string;
}

const OVERRIDE_ENV: Record<MediaTool, string> = { ffmpeg: 'V2M_FFMPEG', ffprobe: 'V2M_FFPROBE' };
const BUNDLED_PACKAGE: Record<MediaTool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};
export const FFMPEG_STATIC = 'ffmpeg-static';

/** Inside a packaged app the binaries live next to the asar archive, in `app.asar.unpacked`. */
export function unpackedFromAsar(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The npm packages that may carry a binary; tests substitute temporary folders. */
export interface BinaryPackages {
  /** ffmpeg-static's folder and version, or undefined when it is not installed (an optional dependency). */
  ffmpegStatic(): { dir: string; version: string } | undefined;
  /** The binary @ffmpeg-installer / @ffprobe-installer found for this platform, or why there is none. */
  installer(tool: MediaTool): { path: string; version: string } | { error: string };
}

const moduleRequire = createRequire(import.meta.url);

export const installedPackages: BinaryPackages = {
  ffmpegStatic() {
    // Not require('ffmpeg-static'): its index.js answers FFMPEG_BIN when that is set, and our
    // override is V2M_FFMPEG. The binary is downloaded next to its package.json.
    let pkgJson: string;
    try {
      pkgJson = moduleRequire.resolve(`${FFMPEG_STATIC}/package.json`);
    } catch {
      return undefined;
    }
    const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
    return { dir: unpackedFromAsar(path.dirname(pkgJson)), version };
  },
  installer(tool) {
    try {
      const mod = moduleRequire(BUNDLED_PACKAGE[tool]) as { path?: string; version?: string };
      if (!mod.path) return { error: `${BUNDLED_PACKAGE[tool]} exported no path` };
      return { path: unpackedFromAsar(mod.path), version: mod.version ?? 'unknown' };
    } catch (err) {
      return { error: `${BUNDLED_PACKAGE[tool]} not usable on ${process.platform}-${process.arch} (${(err as Error).message.split('\n')[0]})` };
    }
  },
};

/** Where ffmpeg-static's install script puts the binary (the same on every platform it supports). */
export function ffmpegStaticBinary(dir: string): string {
  return path.join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
}

function searchPath(tool: MediaTool, envPath: string): string | undefined {
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export interface FindBinaryOptions {
  env?: NodeJS.ProcessEnv;
  packages?: BinaryPackages;
}

/**
 * Finds ffmpeg or ffprobe, uncached: the V2M_FFMPEG / V2M_FFPROBE override, then (ffmpeg only)
 * ffmpeg-static's binary when its download succeeded, then the @ffmpeg-installer /
 * @ffprobe-installer binary shipped inside the npm package, then PATH. The error names every
 * place that was tried.
 */
export function findBinary(tool: MediaTool, o: FindBinaryOptions = {}): ResolvedBinary {
  const env = o.env ?? process.env;
  const packages = o.packages ?? installedPackages;
  const overrideEnv = OVERRIDE_ENV[tool];
  const override = env[overrideEnv];
  if (override) {
    if (isExecutableFile(override)) return { tool, path: override, source: 'override', origin: overrideEnv };
    // An explicit override that does not work is an error, not something to silently skip.
    throw new MediaError(
      'BINARY_NOT_FOUND',
      `${overrideEnv} is set to "${override}", but ${existsSync(override) ? 'that is not an executable file' : 'no file exists there'}. Fix or unset ${overrideEnv}.`,
    );
  }
  const tried: string[] = [`${overrideEnv} (not set)`];
  if (tool === 'ffmpeg') {
    const ffs = packages.ffmpegStatic();
    if (!ffs) tried.push(`${FFMPEG_STATIC} (not installed)`);
    else {
      const bin = ffmpegStaticBinary(ffs.dir);
      // A missing or non-executable file is a download that failed or was cut short.
      if (isExecutableFile(bin)) return { tool, path: bin, source: 'ffmpeg-static', origin: `${FFMPEG_STATIC} ${ffs.version}` };
      tried.push(`${FFMPEG_STATIC} ${ffs.version} binary ${bin} (${existsSync(bin) ? 'not executable' : 'not downloaded'}; npm run fetch:ffmpeg retries)`);
    }
  }
  const bundled = packages.installer(tool);
  if ('path' in bundled) {
    if (isExecutableFile(bundled.path)) {
      return { tool, path: bundled.path, source: 'bundled', origin: `${BUNDLED_PACKAGE[tool]} ${bundled.version}` };
    }
    tried.push(`bundled binary ${bundled.path} (missing or not executable)`);
  } else tried.push(bundled.error);
  const onPath = searchPath(tool, env.PATH ?? '');
  if (onPath) return { tool, path: onPath, source: 'path', origin: 'PATH' };
  tried.push(`${tool} on PATH`);
  throw new MediaError(
    'BINARY_NOT_FOUND',
    `Cannot find ${tool}. Tried: ${tried.join('; ')}. ` +
      `Reinstall with "npm install", install ${tool} on your PATH, or set ${overrideEnv} to its full path.`,
  );
}

const cache = new Map<MediaTool, ResolvedBinary>();

/** `findBinary` for this process, cached while the override stays the same. */
export function resolveBinary(tool: MediaTool): ResolvedBinary {
  const override = process.env[OVERRIDE_ENV[tool]];
  const cached = cache.get(tool);
  // The override may change at run time (tests, settings): the cache only holds for the same one.
  const cacheValid = override ? cached?.source === 'override' && cached.path === override : cached && cached.source !== 'override';
  if (cached && cacheValid) return cached;
  const found = findBinary(tool);
  cache.set(tool, found);
  return found;
}

/** For tests that change the environment. */
export function clearBinaryCache(): void {
  cache.clear();
}
