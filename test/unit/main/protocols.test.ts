import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaRegistry } from '../../../electron/core/api/media-registry.ts';
import { appProtocolHandler } from '../../../electron/main/app-protocol.ts';
import { isAppUrl, RENDERER_CSP } from '../../../electron/main/content-security.ts';
import { mediaProtocolHandler } from '../../../electron/main/media-protocol.ts';
import { tempDir } from '../store/store-fixtures.ts';

describe('v2m-media protocol', () => {
  let tmp: ReturnType<typeof tempDir>;
  let registry: MediaRegistry;
  let handler: (r: Request) => Response;
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

  beforeEach(() => {
    tmp = tempDir('v2m-proto-');
    writeFileSync(path.join(tmp.dir, 'clip.mp4'), bytes);
    writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret');
    registry = new MediaRegistry();
    registry.register('clip-1', path.join(tmp.dir, 'clip.mp4'));
    handler = mediaProtocolHandler(registry);
  });
  afterEach(() => tmp.cleanup());

  it('serves a registered file whole and by byte range', async () => {
    const whole = handler(new Request('v2m-media://media/clip-1'));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);
    const part = handler(new Request('v2m-media://media/clip-1', { headers: { Range: 'bytes=100-199' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    const tail = handler(new Request('v2m-media://media/clip-1', { headers: { Range: 'bytes=-10' } }));
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));
    expect(handler(new Request('v2m-media://media/clip-1', { headers: { Range: 'bytes=5000-' } })).status).toBe(416);
  });

  it('answers 404 for anything but a registered id', () => {
    for (const url of [
      'v2m-media://media/clip-2',
      'v2m-media://media/../secret.txt',
      'v2m-media://media/%2e%2e%2fsecret.txt',
      `v2m-media://media/${encodeURIComponent(path.join(tmp.dir, 'secret.txt'))}`,
      'v2m-media://media/clip-1/extra',
      'v2m-media://other/clip-1',
    ]) {
      expect(handler(new Request(url)).status, url).toBe(404);
    }
  });

  it('stops serving a registered file that was swapped for a symlink', () => {
    const file = path.join(tmp.dir, 'clip.mp4');
    registry.register('clip-2', file);
    const moved = path.join(tmp.dir, 'moved.mp4');
    // Replace the registered file with a link to an unregistered one.
    writeFileSync(moved, bytes);
    mkdirSync(path.join(tmp.dir, 'd'));
    const link = path.join(tmp.dir, 'd', 'clip.mp4');
    symlinkSync(path.join(tmp.dir, 'secret.txt'), link);
    registry.register('clip-3', link);
    // A link registered directly is pinned to its target; a swap after registration is refused.
    expect(handler(new Request('v2m-media://media/clip-3')).status).toBe(200);
    rmSync(file);
    symlinkSync(path.join(tmp.dir, 'secret.txt'), file);
    expect(handler(new Request('v2m-media://media/clip-2')).status).toBe(404);
  });
});

describe('v2m-app protocol and navigation rules', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('v2m-app-');
    mkdirSync(path.join(tmp.dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 'dist', 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(tmp.dir, 'dist', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(tmp.dir, 'outside.txt'), 'outside');
    symlinkSync(path.join(tmp.dir, 'outside.txt'), path.join(tmp.dir, 'dist', 'link.txt'));
  });
  afterEach(() => tmp.cleanup());

  it('serves the renderer with the CSP and nothing outside it', async () => {
    const h = appProtocolHandler({ rendererDir: path.join(tmp.dir, 'dist'), statusPage: async () => 'status' });
    const index = await h(new Request('v2m-app://app/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await index.text()).toContain('<title>app</title>');
    expect((await h(new Request('v2m-app://app/assets/app.js'))).headers.get('content-type')).toMatch(/javascript/);
    for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/link.txt', '/assets/../../outside.txt', '/nope.js']) {
      expect((await h(new Request(`v2m-app://app${p}`))).status, p).toBe(404);
    }
  });

  it('shows the status page when the renderer is not built', async () => {
    const h = appProtocolHandler({ rendererDir: undefined, statusPage: async () => '<h1>status</h1>' });
    expect(await (await h(new Request('v2m-app://app/'))).text()).toBe('<h1>status</h1>');
  });

  it('has a CSP without remote code, inline script or eval', () => {
    expect(RENDERER_CSP).toContain("default-src 'self'");
    expect(RENDERER_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(RENDERER_CSP).toContain("object-src 'none'");
  });

  it('treats only the app origin as navigable', () => {
    expect(isAppUrl('v2m-app://app/index.html')).toBe(true);
    for (const u of ['https://example.com/', 'file:///etc/passwd', 'v2m-app://evil/', 'javascript:alert(1)', 'not a url']) expect(isAppUrl(u), u).toBe(false);
  });
});
