import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { cutsClip } from '../helpers/clips.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request sent exactly as written: no URL normalisation, any Host header. */
function raw(port: number, rawPath: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers, setHost: !opts.headers?.Host }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Sends a WebSocket upgrade and returns the status line's code (101 on success). */
function upgradeStatus(port: number, rawPath: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      const lines = [`GET ${rawPath} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      sock.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let data = '';
    sock.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        if (m[1] === '101') expect(data).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
        sock.destroy();
        resolve(Number(m[1]));
      }
    });
    sock.on('error', reject);
  });
}

describe('bridge security', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let port: number;
  let token: string;
  let clipFile: string;
  let mediaPath: string;
  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    tmp = tempDir('v2m-sec-');
    bridge = await openBridge({ dataDir: path.join(tmp.dir, 'data') });
    port = bridge.server.port;
    token = bridge.server.token;
    clipFile = path.join(tmp.dir, 'my clip.mp4');
    copyFileSync(await cutsClip('bridge-sec-2s.mp4', { cutTimes: [1], durationSec: 2 }), clipFile);
    const p = await bridge.engine.createProject({ name: 'Sec' });
    const clip = await bridge.engine.importClip({ projectId: p.id, path: clipFile });
    mediaPath = clip.mediaUrl.split('?')[0]!;
  });
  afterAll(async () => {
    await bridge?.close();
    tmp?.cleanup();
  });

  it('is bound to the loopback interface only', async () => {
    expect(bridge.server.address.address).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        const s = net.connect(port, external.address, () => {
          s.destroy();
          resolve(null);
        });
        s.on('error', (e) => resolve(e));
      });
      expect(err?.code).toBe('ECONNREFUSED');
    }
  });

  it('answers 401 without the token on pages, API, media and sockets', async () => {
    expect((await raw(port, '/')).status).toBe(401);
    expect((await raw(port, '/status')).status).toBe(401);
    expect((await raw(port, '/api/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await raw(port, mediaPath)).status).toBe(401);
    expect((await raw(port, `${mediaPath}?token=wrong`)).status).toBe(401);
    expect((await raw(port, '/', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect(await upgradeStatus(port, '/events')).toBe(401);
    expect(await upgradeStatus(port, '/events?token=wrong')).toBe(401);
    expect(await upgradeStatus(port, `/events?token=${token}`)).toBe(101);
  });

  it('answers 403 to a foreign Host or Origin even with the token', async () => {
    expect((await raw(port, '/', { headers: { ...auth(), Host: `evil.example:${port}` } })).status).toBe(403);
    expect((await raw(port, '/', { headers: { ...auth(), Host: '127.0.0.1:1' } })).status).toBe(403);
    expect((await raw(port, '/', { headers: { ...auth(), Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw(port, '/', { headers: { ...auth(), Origin: `http://127.0.0.1:${port + 1}` } })).status).toBe(403);
    expect((await raw(port, '/api/appInfo', { method: 'POST', headers: { ...auth(), Origin: 'null', 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(403);
    expect(await upgradeStatus(port, `/events?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    // The page's own origin is fine.
    expect((await raw(port, '/', { headers: { ...auth(), Origin: `http://localhost:${port}`, Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('serves registered media with byte ranges', async () => {
    const bytes = readFileSync(clipFile);
    const whole = await raw(port, mediaPath, { headers: auth() });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.body.equals(bytes)).toBe(true);
    const part = await raw(port, `${mediaPath}?token=${token}`, { headers: { Range: 'bytes=10-109' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-109/${bytes.length}`);
    expect(part.body.equals(bytes.subarray(10, 110))).toBe(true);
    expect((await raw(port, mediaPath, { headers: { ...auth(), Range: `bytes=${bytes.length}-` } })).status).toBe(416);
  });

  it('answers 404 to traversal, absolute, encoded and symlinked paths to unregistered files', async () => {
    const secret = path.join(projectRoot, 'package.json');
    const paths = [
      '/media/../package.json',
      '/media/../../../../etc/passwd',
      '/media/%2e%2e/package.json',
      '/media/%2e%2e%2fpackage.json',
      '/media/..%2f..%2fetc%2fpasswd',
      `/media/${secret}`,
      `/media/${encodeURIComponent(secret)}`,
      '/media//etc/passwd',
      '/media/%2Fetc%2Fpasswd',
      `${mediaPath}/../../package.json`,
      `${mediaPath}%00`,
      '/media/clip-not-registered',
      '/../package.json',
      '/%2e%2e/package.json',
      '/etc/passwd',
    ];
    for (const p of paths) {
      const r = await raw(port, p, { headers: auth() });
      expect(r.status, p).toBe(404);
      expect(r.body.toString()).not.toContain('"name": "v2m-studio"');
    }
    // A registered file replaced by a symlink to an unregistered one is no longer served.
    const backup = `${clipFile}.bak`;
    copyFileSync(clipFile, backup);
    rmSync(clipFile);
    symlinkSync(secret, clipFile);
    try {
      expect((await raw(port, mediaPath, { headers: auth() })).status).toBe(404);
    } finally {
      rmSync(clipFile);
      copyFileSync(backup, clipFile);
    }
    expect((await raw(port, mediaPath, { headers: auth() })).status).toBe(200);
  });

  it('answers 400 to malformed or oversized JSON and 415 to non-JSON bodies', async () => {
    const post = (body: string | Buffer, type = 'application/json') =>
      raw(port, '/api/createProject', { method: 'POST', headers: { ...auth(), 'Content-Type': type }, body });
    const malformed = await post('{"name": ');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body.toString()).error.message).toMatch(/not valid JSON/);
    const big = await post(JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }));
    expect(big.status).toBe(400);
    expect(JSON.parse(big.body.toString()).error.message).toMatch(/larger than/);
    expect((await post('name=x', 'text/plain')).status).toBe(415);
    const invalid = await post(JSON.stringify({ name: 42 }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body.toString()).error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await raw(port, '/api/dropTables', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await raw(port, '/api/appInfo', { headers: auth() })).status).toBe(405);
    // The server is still healthy afterwards.
    expect((await post(JSON.stringify({ name: 'ok' }))).status).toBe(200);
  });

  it('pushes engine events to a real WebSocket client', async () => {
    // Node's own WebSocket client (undici), in a child so this test does not depend on flags.
    const script = `
      const ws = new WebSocket(process.argv[1]);
      ws.onopen = () => console.log('open');
      ws.onmessage = (e) => { console.log(e.data); ws.close(); };
      ws.onerror = (e) => { console.error('error', e.message); process.exit(1); };
      ws.onclose = () => process.exit(0);`;
    const child = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', script, `ws://127.0.0.1:${port}/events?token=${token}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (out.includes('open')) {
          clearInterval(t);
          resolve();
        }
      }, 10);
      child.once('exit', () => {
        clearInterval(t);
        reject(new Error(`client exited early: ${out}`));
      });
    });
    const job = await bridge.engine.cancelJob({ jobId: 'none' });
    expect(job.cancelled).toBe(false);
    (bridge.engine as unknown as { hub: { emit(e: string, p: unknown): void } }).hub.emit('job:progress', { jobId: 'j1', kind: 'analyze', stage: 'frames', fraction: 0.25 });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const msg = JSON.parse(out.split('\n')[1]!) as unknown;
    expect(msg).toEqual({ event: 'job:progress', payload: { jobId: 'j1', kind: 'analyze', stage: 'frames', fraction: 0.25 } });
  });
});
