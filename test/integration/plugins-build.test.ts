import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveScriptsDir } from '../../electron/cli/commands/plugins.ts';
import { runV2m } from '../helpers/cli.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// @ts-expect-error plain JS build script without types
const { manifestProblems } = (await import('../../scripts/build-plugins.js')) as { manifestProblems(m: unknown): string[] };

const SCRIPTS = ['V2M Studio (Python).py', 'V2M Studio.lua'];
const sourceManifest = () => JSON.parse(readFileSync(path.join(projectRoot, 'plugins/premiere/manifest.json'), 'utf8')) as Record<string, unknown>;

describe('npm run build:plugins', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('v2m-plugins-');
  });
  afterAll(() => tmp?.cleanup());

  it('builds the Premiere panel folder and its .ccx package, and copies the Resolve scripts', () => {
    const out = path.join(tmp.dir, 'out');
    // The npm script itself (node scripts/build-plugins.js), into a temp folder.
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/build-plugins.js'), '--out', out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = sourceManifest();
    const folder = path.join(out, 'premiere', manifest.id as string);
    expect(r.stdout).toContain(folder);
    expect(readdirSync(folder).sort()).toEqual(['index.html', 'main.js', 'manifest.json']);
    expect(JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(readFileSync(path.join(folder, 'index.html'), 'utf8')).toContain('<script src="main.js"></script>');
    // A classic script for UXP: the host modules are required at run time, nothing is left as ESM.
    const js = readFileSync(path.join(folder, 'main.js'), 'utf8');
    expect(js).toContain('require("premierepro")');
    expect(js).not.toMatch(/^\s*(import|export) /m);
    expect(spawnSync(process.execPath, ['--check', path.join(folder, 'main.js')]).status).toBe(0);
    // The .ccx is the plugin folder zipped with manifest.json at its root (what Creative Cloud installs).
    const ccx = path.join(out, 'premiere', `${manifest.id as string}_${manifest.version as string}.ccx`);
    const zip = unzipSync(readFileSync(ccx));
    expect(Object.keys(zip).sort()).toEqual(['index.html', 'main.js', 'manifest.json']);
    expect(Buffer.from(zip['main.js']!).toString('utf8')).toBe(js);
    expect(JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8'))).toEqual(manifest);
    expect(readdirSync(path.join(out, 'resolve')).sort()).toEqual(SCRIPTS);
    for (const f of SCRIPTS) expect(readFileSync(path.join(out, 'resolve', f), 'utf8')).toBe(readFileSync(path.join(projectRoot, 'plugins/resolve', f), 'utf8'));
  }, 60_000);

  it('validates the manifest: v5, an id, Premiere Pro 25.6+, loopback-only network, a panel entrypoint', () => {
    const good = sourceManifest();
    expect(manifestProblems(good)).toEqual([]);
    expect(good).toMatchObject({ manifestVersion: 5, id: 'studio.v2m.premiere', host: { app: 'premierepro', minVersion: '25.6.0' } });
    expect(manifestProblems({ ...good, requiredPermissions: { network: { domains: ['ws://localhost:47815'] } } })).toEqual([]);
    expect(manifestProblems({ ...good, requiredPermissions: { network: { domains: ['ws://127.0.0.1:47815', 'https://example.com'] } } }))
      .toEqual(['network domain "https://example.com" is not loopback (127.0.0.1 or localhost only)']);
    expect(manifestProblems({ ...good, requiredPermissions: { network: { domains: ['all'] } } })).toEqual(['network domain "all" is not loopback (127.0.0.1 or localhost only)']);
    expect(manifestProblems({ ...good, requiredPermissions: {} })).toEqual(['requiredPermissions.network.domains must list the app port']);
    expect(manifestProblems({ ...good, manifestVersion: 4, host: { app: 'PS', minVersion: '23.0.0' } })).toEqual([
      'manifestVersion must be 5', 'host.app must be "premierepro"', 'host.minVersion must be 25.6 or later (UXP in Premiere Pro)',
    ]);
    expect(manifestProblems({ ...good, host: { app: 'premierepro', minVersion: '25.5.0' } })).toEqual(['host.minVersion must be 25.6 or later (UXP in Premiere Pro)']);
    expect(manifestProblems({ ...good, host: { app: 'premierepro', minVersion: '26.0' } })).toEqual([]);
    expect(manifestProblems({ ...good, id: 'has spaces' })).toEqual(['id must be a plugin id (letters, digits, dots)']);
    expect(manifestProblems({ ...good, entrypoints: [{ type: 'command', id: 'x' }] })).toEqual(['entrypoints needs one panel with an id and a label']);
    expect(manifestProblems([])).toEqual(['manifest is not a JSON object']);
  });
});

describe('v2m plugins install resolve', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('v2m-plugins-install-');
  });
  afterAll(() => tmp?.cleanup());

  const sameAsShipped = (files: string[]) => {
    expect(files.map((f) => path.basename(f)).sort()).toEqual(SCRIPTS);
    for (const f of files) expect(readFileSync(f, 'utf8')).toBe(readFileSync(path.join(projectRoot, 'plugins/resolve', path.basename(f)), 'utf8'));
  };

  it('copies the scripts into the folder given with --dir, replacing older copies, and leaves no temp files', async () => {
    const dir = path.join(tmp.dir, 'Scripts', 'Utility');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'V2M Studio.lua'), '-- an older version');
    writeFileSync(path.join(dir, 'Other script.lua'), '-- not ours');
    const res = await runV2m(['plugins', 'install', 'resolve', '--dir', dir, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { target: string; installed: string[] };
    expect(out.target).toBe(dir);
    sameAsShipped(out.installed);
    expect(readdirSync(dir).sort()).toEqual(['Other script.lua', ...SCRIPTS].sort());
    const text = await runV2m(['plugins', 'install', 'resolve', '--dir', path.join(tmp.dir, 'new', 'Utility')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Installed into ${path.join(tmp.dir, 'new', 'Utility')}:\n  V2M Studio (Python).py\n  V2M Studio.lua\n`);
  }, 60_000);

  it('installs into Resolve\'s per-user Scripts/Utility folder by default, and says when Resolve is missing', async () => {
    const home = path.join(tmp.dir, 'home');
    mkdirSync(home, { recursive: true });
    const env = { HOME: home, APPDATA: path.join(home, 'AppData', 'Roaming') };
    const missing = await runV2m(['plugins', 'install', 'resolve'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/DaVinci Resolve's user folder .* does not exist: install Resolve and start it once, or pass the Scripts folder with --dir\./);
    const target = resolveScriptsDir(process.platform, env, home);
    mkdirSync(path.resolve(target, '../../..'), { recursive: true });
    const res = await runV2m(['plugins', 'install', 'resolve', '--json'], { env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { target: string; installed: string[] };
    expect(out.target).toBe(target);
    sameAsShipped(out.installed);
  }, 60_000);

  it('gives clear errors for a wrong editor, a file as the folder, and a folder it cannot write', async () => {
    const avid = await runV2m(['plugins', 'install', 'avid']);
    expect(avid.code).toBe(2);
    expect(avid.stderr).toMatch(/unknown editor "avid" \(resolve\)/);
    const premiere = await runV2m(['plugins', 'install', 'premiere']);
    expect(premiere.code).toBe(2);
    expect(premiere.stderr).toMatch(/npm run build:plugins/);
    const file = path.join(tmp.dir, 'a-file');
    writeFileSync(file, 'x');
    const onFile = await runV2m(['plugins', 'install', 'resolve', '--dir', file]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toContain(`${file} is a file, not a folder`);
    // A folder the user cannot write into: as root, run the CLI as nobody so the refusal is real.
    const locked = path.join(tmp.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const asRoot = process.getuid?.() === 0;
    const denied = spawnSync(process.execPath, [path.join(projectRoot, 'bin/v2m.js'), 'plugins', 'install', 'resolve', '--dir', locked], {
      cwd: projectRoot, encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmp.dir } } : {}),
    });
    chmodSync(locked, 0o700);
    expect(denied.stderr).toContain(`Cannot write into ${locked} (permission denied); choose a folder you can write to with --dir.`);
    expect(denied.status).toBe(1);
    expect(readdirSync(locked)).toEqual([]);
  }, 60_000);

  it('knows Resolve\'s per-user Scripts/Utility folder on each OS', () => {
    expect(resolveScriptsDir('darwin', {}, '/Users/ed')).toBe('/Users/ed/Library/Application Support/Blackmagic Design/DaVinci Resolve/Fusion/Scripts/Utility');
    expect(resolveScriptsDir('win32', { APPDATA: 'C:\\Users\\ed\\AppData\\Roaming' }, 'C:\\Users\\ed'))
      .toBe('C:\\Users\\ed\\AppData\\Roaming\\Blackmagic Design\\DaVinci Resolve\\Support\\Fusion\\Scripts\\Utility');
    expect(resolveScriptsDir('win32', {}, 'C:\\Users\\ed')).toBe('C:\\Users\\ed\\AppData\\Roaming\\Blackmagic Design\\DaVinci Resolve\\Support\\Fusion\\Scripts\\Utility');
    expect(resolveScriptsDir('linux', {}, '/home/ed')).toBe('/home/ed/.local/share/DaVinciResolve/Fusion/Scripts/Utility');
  });

  it('ships a Python script that compiles (python3)', () => {
    const r = spawnSync('python3', ['-B', '-c', 'import ast, sys; ast.parse(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1])', path.join(projectRoot, 'plugins/resolve/V2M Studio (Python).py')], { encoding: 'utf8' });
    if (r.error) return void console.warn('[plugins-build.test] skipped the Python compile check: python3 is not installed');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(path.join(projectRoot, 'plugins/resolve/__pycache__'))).toBe(false);
  });
});
