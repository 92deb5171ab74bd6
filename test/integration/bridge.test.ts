import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { createBridgeClient } from '../../electron/shared/client.ts';
import { projectRoot } from '../helpers/paths.ts';

const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('browser bridge', () => {
  let dataDir: string;
  let bridge: RunningBridge;
  let base: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'v2m-bridge-'));
    bridge = await openBridge({ dataDir });
    base = `http://127.0.0.1:${bridge.server.port}`;
  });
  afterAll(async () => {
    await bridge?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the version page with the token and refuses it without', async () => {
    expect(bridge.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    // The status page lives at /status (at / once the renderer is built, the app is served there).
    const ok = await fetch(bridge.server.url.replace('/?token=', '/status?token='));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await ok.text();
    expect(html).toContain(`<span id="app-version">${version}</span>`);
    const info = await bridge.engine.appInfo();
    expect(info.ffmpeg?.version).toBeTruthy();
    expect(html).toContain(info.ffmpeg!.version);
    expect(html).toContain(info.ffprobe!.version);
    expect(html).toMatch(/onnxruntime-node<\/th><td>1\.30\.\d+/);

    const refused = await fetch(`${base}/`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/token/);
    const wrong = await fetch(`${base}/?token=${'x'.repeat(32)}`);
    expect(wrong.status).toBe(401);
  });

  it('answers the API with the token', async () => {
    const client = createBridgeClient({ baseUrl: base, token: bridge.server.token });
    const info = await client.api.appInfo({});
    expect(info.appVersion).toBe(version);
    expect(info.transport).toBe('bridge');
    const p = await client.api.createProject({ name: 'Bridge project' });
    const recent = await client.api.listRecentProjects({});
    expect(recent.map((r) => r.id)).toContain(p.id);
    // Engine errors arrive as real Errors with the engine's message and code.
    const err = await client.api.openProject({ projectId: 'no-such-project' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/No project with id no-such-project/);
    expect((err as { code?: string }).code).toBe('PROJECT_NOT_FOUND');
  });
});

describe('npm start without Electron', () => {
  it('prints a tokenised loopback URL, serves it, and exits cleanly on Ctrl+C', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'v2m-start-'));
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/start.js')], {
      cwd: projectRoot,
      env: { ...process.env, V2M_DATA_DIR: dataDir, V2M_NO_ELECTRON_DOWNLOAD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${out}`)));
      });
      const page = await fetch(url.replace('/?token=', '/status?token='));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(version);
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('launches Electron on the project with the Electron build of better-sqlite3 when both are there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-fake-electron-'));
    try {
      // A stand-in Electron binary (the real one cannot be downloaded here) that reports how it was started.
      const dist = path.join(dir, 'dist');
      mkdirSync(dist);
      writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\necho "args=$*"\necho "binding=$V2M_SQLITE_BINDING"\nexit 3\n');
      chmodSync(path.join(dist, 'electron'), 0o755);
      const native = path.join(dir, 'native');
      mkdirSync(native);
      const electronVersion = (JSON.parse(readFileSync(path.join(projectRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
      const binding = path.join(native, `better_sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}.node`);
      writeFileSync(binding, '');
      const child = spawn(process.execPath, [path.join(projectRoot, 'bin/start.js'), '--some-flag'], {
        cwd: projectRoot,
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, V2M_ELECTRON_NATIVE_DIR: native },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(out).toContain(`args=${projectRoot} --some-flag`);
      expect(out).toContain(`binding=${binding}`);
      expect(code).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
