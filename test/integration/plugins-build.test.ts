import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveScriptsDir } from '../../electron/cli/commands/plugins.ts';
import { runV2m } from '../helpers/cli.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// @ts-expect-error plain JS build script without types
const { buildPlugins, manifestProblems } = (await import('../../scripts/build-plugins.js')) as {
  buildPlugins(out: string): Promise<{ premiereDir: string; ccx: string; resolveDir: string; resolveFiles: string[] }>;
  manifestProblems(m: unknown): string[];
};

describe('npm run build:plugins and v2m plugins install', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('v2m-plugins-');
  });
  afterAll(() => tmp?.cleanup());

  it('builds the Premiere panel folder and .ccx package, and the Resolve scripts', async () => {
    const r = await buildPlugins(path.join(tmp.dir, 'out'));
    for (const f of ['manifest.json', 'index.html', 'main.js']) expect(existsSync(path.join(r.premiereDir, f)), f).toBe(true);
    const js = readFileSync(path.join(r.premiereDir, 'main.js'), 'utf8');
    expect(js).toContain('require("premierepro")');
    expect(js).not.toMatch(/^import /m);
    const zip = unzipSync(readFileSync(r.ccx));
    expect(Object.keys(zip).sort()).toEqual(['index.html', 'main.js', 'manifest.json']);
    expect(JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')).manifestVersion).toBe(5);
    expect(r.resolveFiles.sort()).toEqual(['V2M Studio (Python).py', 'V2M Studio.lua']);
  });

  it('refuses a manifest that is not loopback-only or not for Premiere Pro', () => {
    const good = JSON.parse(readFileSync(path.join(projectRoot, 'plugins/premiere/manifest.json'), 'utf8'));
    expect(manifestProblems(good)).toEqual([]);
    expect(manifestProblems({ ...good, requiredPermissions: { network: { domains: ['https://example.com'] } } })).toEqual(['network domain "https://example.com" is not loopback (127.0.0.1 only)']);
    expect(manifestProblems({ ...good, manifestVersion: 4, host: { app: 'PS', minVersion: '23.0.0' } })).toEqual([
      'manifestVersion must be 5', 'host.app must be "premierepro"', 'host.minVersion must be 25.6 or later (UXP in Premiere Pro)',
    ]);
  });

  it('installs the Resolve scripts into the per-user Scripts folder (temp HOME)', async () => {
    const home = path.join(tmp.dir, 'home');
    const res = await runV2m(['plugins', 'install', 'resolve', '--json'], { env: { HOME: home, APPDATA: path.join(home, 'AppData') } });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { target: string; installed: string[] };
    expect(out.target).toBe(resolveScriptsDir(process.platform, { APPDATA: path.join(home, 'AppData') }, home));
    for (const f of out.installed) expect(readFileSync(f, 'utf8')).toBe(readFileSync(path.join(projectRoot, 'plugins/resolve', path.basename(f)), 'utf8'));
    const bad = await runV2m(['plugins', 'install', 'avid'], { env: { HOME: home } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown editor "avid"/);
  });

  it('knows Resolve\'s Scripts folder on each OS', () => {
    expect(resolveScriptsDir('darwin', {}, '/Users/ed')).toBe('/Users/ed/Library/Application Support/Blackmagic Design/DaVinci Resolve/Fusion/Scripts/Edit');
    expect(resolveScriptsDir('win32', { APPDATA: 'C:\\Users\\ed\\AppData\\Roaming' }, 'C:\\Users\\ed')).toBe('C:\\Users\\ed\\AppData\\Roaming\\Blackmagic Design\\DaVinci Resolve\\Support\\Fusion\\Scripts\\Edit');
    expect(resolveScriptsDir('linux', {}, '/home/ed')).toBe('/home/ed/.local/share/DaVinciResolve/Fusion/Scripts/Edit');
  });

  it('ships a Python script that compiles', () => {
    const r = spawnSync('python3', ['-m', 'py_compile', path.join(projectRoot, 'plugins/resolve/V2M Studio (Python).py')], { encoding: 'utf8' });
    if (r.error) return void console.warn('[plugins-build.test] python3 missing: Python script not compiled');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
