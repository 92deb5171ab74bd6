import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installPack } from '../../electron/core/models/pack-install.ts';
import { PackError } from '../../electron/core/models/pack-error.ts';
import { verifyPack } from '../../electron/core/models/pack-verify.ts';
import { TINY_PACK } from '../unit/models/goldens.ts';

interface Logged {
  url: string;
  range: string | undefined;
  status: number;
}

/** Serves the tiny pack under /packs/tiny/ with HTTP Range support and scriptable faults. */
class PackServer {
  log: Logged[] = [];
  /** Next full response for this file stops after half its bytes and drops the connection. */
  cutOnce = new Set<string>();
  /** Files served with one byte flipped. */
  corrupt = new Set<string>();
  noRange = false;
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/packs/tiny/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/packs\/tiny\//, ''));
    const file = path.join(TINY_PACK, name);
    const range = req.headers.range;
    if (!req.url?.startsWith('/packs/tiny/') || name.includes('/') || !existsSync(file)) {
      this.log.push({ url: name, range, status: 404 });
      res.writeHead(404).end('not found');
      return;
    }
    let body = readFileSync(file);
    if (this.corrupt.has(name)) {
      body = Buffer.from(body);
      body[10] ^= 0x55;
    }
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    if (m && !this.noRange) {
      const from = Number(m[1]);
      this.log.push({ url: name, range, status: 206 });
      res.writeHead(206, { 'content-length': body.length - from, 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(from));
      return;
    }
    this.log.push({ url: name, range, status: 200 });
    res.writeHead(200, { 'content-length': body.length });
    if (this.cutOnce.delete(name)) {
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  }
}

const server = new PackServer();
let root: string;
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'v2m-install-'));
  server.log = [];
  server.cutOnce.clear();
  server.corrupt.clear();
  server.noRange = false;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const DIT_BYTES: number = JSON.parse(readFileSync(path.join(TINY_PACK, 'manifest.json'), 'utf8')).models.dit.files.fp32.bytes;
const errorOf = async (p: Promise<unknown>) => p.then(() => null, (e: Error) => e);

describe('v2m models install from a URL', () => {
  it('downloads, checks every sha256 while streaming and renames the pack into place', async () => {
    const fractions: number[] = [];
    const r = await installPack(server.base, { destRoot: root, onProgress: (p) => fractions.push(p.fraction) });
    expect(r.dir).toBe(path.join(root, 'diffv2m-tiny'));
    expect(r.resumedBytes).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    await verifyPack(r.dir);
    expect(readdirSync(root)).toEqual(['diffv2m-tiny']);
    expect(server.log.map((l) => l.url).sort()).toEqual([
      'clip_image.fp16.onnx', 'clip_image.onnx', 'dit.fp16.onnx', 'dit.onnx', 'manifest.json',
      'rhythm_predictor.fp16.onnx', 'rhythm_predictor.onnx', 'vae_decoder.fp16.onnx', 'vae_decoder.onnx',
    ]);
  });

  it('resumes a broken-off download with an HTTP Range request', async () => {
    server.cutOnce.add('dit.onnx');
    const first = await errorOf(installPack(`${server.base}manifest.json`, { destRoot: root }));
    expect(first).toBeInstanceOf(PackError);
    expect(first!.message).toMatch(new RegExp(`dit\\.onnx .*(broke off|ended) at \\d+ of ${DIT_BYTES} bytes.*Run the install again to resume`));
    expect(existsSync(path.join(root, 'diffv2m-tiny'))).toBe(false);
    const staging = readdirSync(root).filter((d) => d.startsWith('.partial-diffv2m-tiny-'));
    expect(staging).toHaveLength(1);
    const partial = statSync(path.join(root, staging[0]!, 'dit.onnx.part')).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(DIT_BYTES);

    server.log = [];
    const notes: string[] = [];
    const r = await installPack(server.base, { destRoot: root, onNote: (n) => notes.push(n) });
    expect(r.resumedBytes).toBe(partial);
    expect(server.log.find((l) => l.url === 'dit.onnx')).toEqual({ url: 'dit.onnx', range: `bytes=${partial}-`, status: 206 });
    // Files completed by the first attempt are not fetched again.
    expect(server.log.filter((l) => l.url.endsWith('.onnx')).length).toBeLessThan(8);
    expect(notes.join('\n')).toMatch(new RegExp(`Resuming dit\\.onnx at ${partial} of ${DIT_BYTES} bytes`));
    await verifyPack(r.dir);
    expect(readdirSync(root)).toEqual(['diffv2m-tiny']);
  });

  it('starts the file again when the server ignores Range', async () => {
    server.cutOnce.add('vae_decoder.onnx');
    await errorOf(installPack(server.base, { destRoot: root }));
    server.noRange = true;
    const r = await installPack(server.base, { destRoot: root });
    expect(r.resumedBytes).toBe(0);
    await verifyPack(r.dir);
  });

  it('refuses a file whose sha256 does not match and installs nothing', async () => {
    server.corrupt.add('rhythm_predictor.fp16.onnx');
    const e = await errorOf(installPack(server.base, { destRoot: root }));
    expect((e as PackError).code).toBe('CHECKSUM');
    expect(e!.message).toMatch(/rhythm_predictor\.fp16\.onnx from http:\/\/127\.0\.0\.1:\d+ has sha256 .* nothing was installed/);
    expect(existsSync(path.join(root, 'diffv2m-tiny'))).toBe(false);
    const staging = readdirSync(root).find((d) => d.startsWith('.partial-'))!;
    expect(existsSync(path.join(root, staging, 'rhythm_predictor.fp16.onnx.part'))).toBe(false);
  });

  it('says clearly when the address is not a pack', async () => {
    const e = await errorOf(installPack(server.base.replace('/packs/tiny/', '/nothing/'), { destRoot: root }));
    expect(e!.message).toMatch(/answered HTTP 404; is it a model pack's address\?/);
  });

  it('stops when cancelled and leaves no installed pack', async () => {
    const ac = new AbortController();
    const e = await errorOf(installPack(server.base, {
      destRoot: root, signal: ac.signal,
      onProgress: (p) => { if (p.fraction > 0.3) ac.abort(); },
    }));
    expect(e!.name).toBe('AbortError');
    expect(existsSync(path.join(root, 'diffv2m-tiny'))).toBe(false);
  });
});

describe('v2m models install from a folder', () => {
  it('copies with progress, verifies and refuses to overwrite without force', async () => {
    let last = 0;
    const r = await installPack(TINY_PACK, { destRoot: root, onProgress: (p) => { last = p.fraction; expect(p.stage).toBe('copying'); } });
    expect(last).toBe(1);
    await verifyPack(r.dir);
    const again = await errorOf(installPack(TINY_PACK, { destRoot: root }));
    expect(again!.message).toMatch(/already installed .* pass --force/);
    const forced = await installPack(TINY_PACK, { destRoot: root, force: true });
    expect(forced.dir).toBe(r.dir);
    expect(readdirSync(root)).toEqual(['diffv2m-tiny']);
  });

  it('refuses a folder that is not a pack', async () => {
    const e = await errorOf(installPack(root, { destRoot: path.join(root, 'dest') }));
    expect(e!.message).toMatch(/is not a model pack: it has no manifest\.json/);
  });
});
