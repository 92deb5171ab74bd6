import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/paths.ts';
import { tempDir } from '../store/store-fixtures.ts';

const require = createRequire(import.meta.url);
const afterPack = require(path.join(projectRoot, 'build/after-pack.cjs')) as ((ctx: unknown) => Promise<void>) & { electronBinary(ctx: unknown): string };
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A stand-in Electron binary: some bytes, the fuse sentinel, a V1 wire of 8 enabled fuses. */
function stubBinary(file: string): void {
  writeFileSync(file, Buffer.concat([Buffer.alloc(64, 0x90), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.alloc(8, 0x31), Buffer.alloc(16, 0x90)]));
}

function wire(file: string): string {
  const buf = readFileSync(file);
  const at = buf.indexOf(SENTINEL) + SENTINEL.length;
  return buf.subarray(at + 2, at + 2 + buf[at + 1]!).toString('latin1');
}

describe('after-pack hook', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('v2m-afterpack-');
  });
  afterEach(() => tmp.cleanup());

  it('turns off RunAsNode, NODE_OPTIONS and inspect, and keeps the app in its asar', async () => {
    const exe = path.join(tmp.dir, 'v2m-studio');
    stubBinary(exe);
    const ctx = { appOutDir: tmp.dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'V2M Studio' }, executableName: 'v2m-studio' } };
    expect(afterPack.electronBinary(ctx)).toBe(exe);
    expect(wire(exe)).toBe('11111111');
    await afterPack(ctx);
    // Order: RunAsNode, CookieEncryption, NODE_OPTIONS, inspect args, asar integrity, only-asar, …
    expect(wire(exe)).toBe('01001111');
  });

  it('names the binary for each platform', () => {
    const packager = { appInfo: { productFilename: 'V2M Studio' }, executableName: 'v2m-studio' };
    expect(afterPack.electronBinary({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(path.join('/o', 'V2M Studio.exe'));
    expect(afterPack.electronBinary({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(path.join('/o', 'V2M Studio.app'));
  });

  it('fails loudly on a binary without fuses', async () => {
    const exe = path.join(tmp.dir, 'v2m-studio');
    writeFileSync(exe, 'not electron');
    await expect(afterPack({ appOutDir: tmp.dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'x' }, executableName: 'v2m-studio' } })).rejects.toThrow(/sentinel/);
  });
});
