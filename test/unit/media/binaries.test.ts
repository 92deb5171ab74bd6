import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  clearBinaryCache,
  ffmpegStaticBinary,
  findBinary,
  installedPackages,
  resolveBinary,
  type BinaryPackages,
  type MediaTool,
} from '../../../electron/core/media/binaries.ts';
import { parseToolVersion, toolVersion } from '../../../electron/core/media/versions.ts';
import { choiceLine, fallbackFfmpeg, fetchFfmpegStatic } from '../../../scripts/fetch-ffmpeg.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-binaries-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in for ffmpeg: a shell script that prints a version line like the real one. */
function fakeTool(file: string, version: string, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho "${path.basename(file)} version ${version} Copyright (c) 2000-2023 the FFmpeg developers"\n`);
  chmodSync(file, mode);
  return file;
}

let n = 0;
/** A fresh layout: ffmpeg-static's folder, the installers' binaries and a PATH folder, each optional. */
function layout(o: { ffmpegStatic?: 'binary' | 'missing' | 'not-executable' | 'absent'; installer?: boolean; onPath?: boolean }) {
  const root = path.join(tmp, `case-${n++}`);
  const staticDir = path.join(root, 'node_modules', 'ffmpeg-static');
  mkdirSync(staticDir, { recursive: true });
  const state = o.ffmpegStatic ?? 'binary';
  if (state === 'binary') fakeTool(ffmpegStaticBinary(staticDir), '6.1.1-static');
  if (state === 'not-executable') fakeTool(ffmpegStaticBinary(staticDir), '6.1.1-static', 0o644);
  // ffmpeg-static ships no ffprobe; one lying in its folder must not be taken.
  fakeTool(path.join(staticDir, 'ffprobe'), 'from-ffmpeg-static-folder');
  const installerBin = (tool: MediaTool) => path.join(root, 'node_modules', `@${tool}-installer`, 'linux-x64', tool);
  if (o.installer ?? true) for (const tool of ['ffmpeg', 'ffprobe'] as const) fakeTool(installerBin(tool), `N-47683-installer-${tool}`);
  const pathDir = path.join(root, 'usr-bin');
  if (o.onPath ?? true) for (const tool of ['ffmpeg', 'ffprobe'] as const) fakeTool(path.join(pathDir, tool), `5.1.6-0+deb12u1`);
  const packages: BinaryPackages = {
    ffmpegStatic: () => (state === 'absent' ? undefined : { dir: staticDir, version: '5.3.0' }),
    installer: (tool) => (o.installer ?? true ? { path: installerBin(tool), version: '4.1.0' } : { error: `@${tool}-installer/${tool} not usable on test-arch` }),
  };
  return { root, staticDir, installerBin, pathDir, packages, env: { PATH: pathDir } as NodeJS.ProcessEnv };
}

describe('resolving ffmpeg and ffprobe (fake executables)', () => {
  it('prefers ffmpeg-static for ffmpeg when its binary was downloaded; ffprobe comes from @ffprobe-installer', () => {
    const l = layout({});
    expect(findBinary('ffmpeg', l)).toEqual({
      tool: 'ffmpeg', path: ffmpegStaticBinary(l.staticDir), source: 'ffmpeg-static', origin: 'ffmpeg-static 5.3.0',
    });
    expect(findBinary('ffprobe', l)).toEqual({
      tool: 'ffprobe', path: l.installerBin('ffprobe'), source: 'bundled', origin: '@ffprobe-installer/ffprobe 4.1.0',
    });
  });

  it('V2M_FFMPEG / V2M_FFPROBE come first; FFMPEG_BIN (ffmpeg-static\'s own variable) is not ours and is ignored', () => {
    const l = layout({});
    const mine = fakeTool(path.join(l.root, 'mine', 'ffmpeg'), 'mine');
    const env = { ...l.env, V2M_FFMPEG: mine, V2M_FFPROBE: path.join(l.pathDir, 'ffprobe') };
    expect(findBinary('ffmpeg', { ...l, env })).toMatchObject({ path: mine, source: 'override', origin: 'V2M_FFMPEG' });
    expect(findBinary('ffprobe', { ...l, env })).toMatchObject({ path: path.join(l.pathDir, 'ffprobe'), source: 'override', origin: 'V2M_FFPROBE' });
    expect(findBinary('ffmpeg', { ...l, env: { ...l.env, FFMPEG_BIN: mine } }).source).toBe('ffmpeg-static');
  });

  it('ffmpeg-static installed but its binary missing (offline install) → @ffmpeg-installer', () => {
    const l = layout({ ffmpegStatic: 'missing' });
    expect(findBinary('ffmpeg', l)).toEqual({
      tool: 'ffmpeg', path: l.installerBin('ffmpeg'), source: 'bundled', origin: '@ffmpeg-installer/ffmpeg 4.1.0',
    });
  });

  it('a cut-short download (file there, not executable) → @ffmpeg-installer', () => {
    const l = layout({ ffmpegStatic: 'not-executable' });
    expect(findBinary('ffmpeg', l).source).toBe('bundled');
  });

  it('ffmpeg-static not installed (--omit=optional) → @ffmpeg-installer', () => {
    const l = layout({ ffmpegStatic: 'absent' });
    expect(findBinary('ffmpeg', l).source).toBe('bundled');
  });

  it('no usable npm binary → PATH; nothing at all → an error naming every place tried', () => {
    const l = layout({ ffmpegStatic: 'missing', installer: false });
    expect(findBinary('ffmpeg', l)).toEqual({ tool: 'ffmpeg', path: path.join(l.pathDir, 'ffmpeg'), source: 'path', origin: 'PATH' });
    expect(findBinary('ffprobe', l).source).toBe('path');
    const none = layout({ ffmpegStatic: 'missing', installer: false, onPath: false });
    expect(() => findBinary('ffmpeg', none)).toThrow(
      new RegExp(
        `Cannot find ffmpeg\\. Tried: V2M_FFMPEG \\(not set\\); ffmpeg-static 5\\.3\\.0 binary ${ffmpegStaticBinary(none.staticDir).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(not downloaded; npm run fetch:ffmpeg retries\\); @ffmpeg-installer/ffmpeg not usable on test-arch; ffmpeg on PATH`,
      ),
    );
    expect(() => findBinary('ffprobe', none)).toThrow(/Cannot find ffprobe\. Tried: V2M_FFPROBE \(not set\); @ffprobe-installer\/ffprobe not usable on test-arch; ffprobe on PATH/);
  });

  it('a broken override is an error, not a fallback', () => {
    const l = layout({});
    expect(() => findBinary('ffmpeg', { ...l, env: { V2M_FFMPEG: path.join(l.root, 'nowhere') } })).toThrow(/V2M_FFMPEG is set to .*no file exists there/);
  });
});

describe('reporting which ffmpeg runs', () => {
  afterEach(() => {
    delete process.env.V2M_FFMPEG;
    clearBinaryCache();
  });

  it('toolVersion gives the path, the source and the version the binary itself prints', async () => {
    const fake = fakeTool(path.join(tmp, 'report', 'ffmpeg'), '6.1.1-static');
    process.env.V2M_FFMPEG = fake;
    expect(await toolVersion('ffmpeg')).toEqual({ tool: 'ffmpeg', path: fake, source: 'override', origin: 'V2M_FFMPEG', version: '6.1.1-static' });
  });

  it('reads the version word of real builds', () => {
    expect(parseToolVersion('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\n')).toBe('5.1.6-0+deb12u1');
    expect(parseToolVersion('ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright')).toBe('N-47683-g0e8eb07980-static');
    expect(parseToolVersion('garbage')).toBe('unknown');
  });

  it('the install step names the ffmpeg the resolver picks, in this checkout', () => {
    const env = { ...process.env };
    delete env.V2M_FFMPEG;
    const resolved = findBinary('ffmpeg', { env });
    const ffs = installedPackages.ffmpegStatic();
    const fetched = ffs && resolved.source === 'ffmpeg-static'
      ? { binary: resolved.path, version: undefined, package: ffs }
      : { problem: 'ffmpeg-static is not installed (an optional dependency)' };
    const line = choiceLine(fetched, env);
    expect(line).toContain(resolved.path);
    if (resolved.source !== 'ffmpeg-static') expect(fallbackFfmpeg(env)?.path).toBe(resolved.path);
    expect(line.split('\n')).toHaveLength(1);
  });

  it('resolveBinary uses the installed packages and caches per override', () => {
    const a = resolveBinary('ffmpeg');
    expect(['ffmpeg-static', 'bundled', 'path']).toContain(a.source);
    expect(resolveBinary('ffmpeg')).toBe(a);
  });
});

describe('fetching ffmpeg-static (a copy of its install script, a mirror on 127.0.0.1)', () => {
  // Only where the optional dependency is installed: its install.js and its dependencies run.
  const ffs = installedPackages.ffmpegStatic();
  const VARS = ['FFMPEG_BINARIES_URL', 'XDG_CACHE_HOME', 'NODE_PATH', 'FFMPEG_BIN'] as const;
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  let server: ChildProcess | undefined;
  afterEach(() => {
    for (const k of VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    server?.kill();
    server = undefined;
  });

  /** A copy of ffmpeg-static's scripts that downloads from `url`, its cache in our temp folder. */
  function copyOfFfmpegStatic(name: string, url: string): string {
    const dir = path.join(tmp, name);
    mkdirSync(dir, { recursive: true });
    for (const f of ['install.js', 'index.js', 'package.json']) writeFileSync(path.join(dir, f), readFileSync(path.join(ffs!.dir, f)));
    Object.assign(process.env, { FFMPEG_BINARIES_URL: url, XDG_CACHE_HOME: path.join(tmp, `${name}-cache`), NODE_PATH: path.dirname(ffs!.dir) });
    return dir;
  }

  it.skipIf(!ffs)('removes a cut-short download, then reports the failed retry in one line', () => {
    const dir = copyOfFfmpegStatic('ffs-offline', 'http://127.0.0.1:9/nowhere');
    const partial = ffmpegStaticBinary(dir);
    writeFileSync(partial, 'half a binary');
    chmodSync(partial, 0o644);
    const r = fetchFfmpegStatic({ pkg: { dir, version: ffs!.version }, timeoutMs: 60_000 });
    expect(r.problem).toMatch(/^ffmpeg-static's download failed \(.*ECONNREFUSED.*\)$/);
    expect(existsSync(partial)).toBe(false);
    expect(choiceLine(r, { PATH: '' })).toMatch(/^V2M Studio: ffmpeg-static's download failed .*, so ffmpeg is @ffmpeg-installer's \(.*\); npm run fetch:ffmpeg retries\.$/);
  }, 90_000);

  it.skipIf(!ffs || process.platform === 'win32')('downloads, checks that the binary runs, and names it', async () => {
    // A mirror in a child process (fetchFfmpegStatic blocks this one) serving a gzipped fake ffmpeg.
    const gz = path.join(tmp, 'ffmpeg.gz');
    const { gzipSync } = await import('node:zlib');
    writeFileSync(gz, gzipSync(`#!/bin/sh\necho "ffmpeg version 6.1.1-static https://johnvansickle.com/ffmpeg/"\n`));
    const want = `/b6.1.1/ffmpeg-${process.platform}-${process.arch}.gz`;
    server = spawn(process.execPath, ['-e', `
      const http = require('node:http'), fs = require('node:fs');
      const s = http.createServer((q, r) => { if (q.url === ${JSON.stringify(want)}) { r.writeHead(200); r.end(fs.readFileSync(${JSON.stringify(gz)})); } else { r.writeHead(404); r.end(); } });
      s.listen(0, '127.0.0.1', () => console.log(s.address().port));`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => server!.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    const dir = copyOfFfmpegStatic('ffs-online', `http://127.0.0.1:${port}`);
    process.env.FFMPEG_BIN = path.join(tmp, 'must-not-be-written');
    const r = fetchFfmpegStatic({ pkg: { dir, version: ffs!.version }, timeoutMs: 60_000 });
    expect(r).toMatchObject({ binary: ffmpegStaticBinary(dir), version: '6.1.1-static' });
    expect(existsSync(process.env.FFMPEG_BIN)).toBe(false);
    expect(choiceLine(r, {})).toBe(`V2M Studio: ffmpeg is ffmpeg-static ${ffs!.version}'s 6.1.1-static (${ffmpegStaticBinary(dir)}).`);
    expect(findBinary('ffmpeg', { env: {}, packages: { ...installedPackages, ffmpegStatic: () => ({ dir, version: ffs!.version }) } }).source).toBe('ffmpeg-static');
  }, 90_000);
});
