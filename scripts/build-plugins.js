#!/usr/bin/env node
// Builds the editor plugins into dist/plugins/: the Premiere Pro UXP panel as an unpacked plugin
// folder (load it with Adobe's UXP Developer Tool) plus a .ccx package (a zip of that folder,
// what Creative Cloud installs), and the Resolve scripts ready to copy. The manifest is checked
// first, so a broken one fails here rather than inside Premiere.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The manifest rules this panel depends on; returns a list of problems (empty when valid). */
export function manifestProblems(m) {
  const problems = [];
  const need = (cond, msg) => {
    if (!cond) problems.push(msg);
  };
  if (!m || typeof m !== 'object' || Array.isArray(m)) return ['manifest is not a JSON object'];
  need(m.manifestVersion === 5, 'manifestVersion must be 5');
  need(typeof m.id === 'string' && /^[A-Za-z0-9._-]+$/.test(m.id), 'id must be a plugin id (letters, digits, dots)');
  need(typeof m.name === 'string' && m.name.length > 0, 'name is missing');
  need(typeof m.version === 'string' && /^\d+\.\d+\.\d+$/.test(m.version), 'version must be x.y.z');
  need(m.main === 'index.html', 'main must be index.html');
  need(m.host && m.host.app === 'premierepro', 'host.app must be "premierepro"');
  // UXP plugins run in Premiere Pro from 25.6 on.
  const [major, minor] = String(m.host?.minVersion ?? '').match(/^(\d+)\.(\d+)(?:\.\d+)?$/)?.slice(1).map(Number) ?? [];
  need(m.host && major !== undefined && (major > 25 || (major === 25 && minor >= 6)), 'host.minVersion must be 25.6 or later (UXP in Premiere Pro)');
  const domains = m.requiredPermissions?.network?.domains;
  need(Array.isArray(domains) && domains.length > 0, 'requiredPermissions.network.domains must list the app port');
  if (Array.isArray(domains)) {
    // The panel only ever talks to the app on this machine; any other host is a mistake.
    for (const d of domains) need(typeof d === 'string' && /^(ws|http):\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(d), `network domain "${d}" is not loopback (127.0.0.1 or localhost only)`);
  }
  need(Array.isArray(m.entrypoints) && m.entrypoints.some((e) => e.type === 'panel' && typeof e.id === 'string' && e.label?.default), 'entrypoints needs one panel with an id and a label');
  return problems;
}

function filesUnder(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, base) : [path.relative(base, p)];
  });
}

export async function buildPlugins(outDir = path.join(root, 'dist', 'plugins')) {
  const src = path.join(root, 'plugins', 'premiere');
  const manifest = JSON.parse(readFileSync(path.join(src, 'manifest.json'), 'utf8'));
  const problems = manifestProblems(manifest);
  if (problems.length) throw new Error(`plugins/premiere/manifest.json is not valid:\n  ${problems.join('\n  ')}`);

  const premiereOut = path.join(outDir, 'premiere', manifest.id);
  rmSync(path.join(outDir, 'premiere'), { recursive: true, force: true });
  mkdirSync(premiereOut, { recursive: true });
  const { build } = await import('esbuild');
  // UXP loads a classic script; `premierepro` and `uxp` are the host's modules, not bundled.
  await build({
    entryPoints: [path.join(src, 'src', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2020',
    external: ['premierepro', 'uxp'],
    outfile: path.join(premiereOut, 'main.js'),
    logLevel: 'silent',
  });
  copyFileSync(path.join(src, 'index.html'), path.join(premiereOut, 'index.html'));
  copyFileSync(path.join(src, 'manifest.json'), path.join(premiereOut, 'manifest.json'));

  const { zipSync } = await import('fflate');
  const entries = {};
  for (const f of filesUnder(premiereOut)) entries[f.split(path.sep).join('/')] = readFileSync(path.join(premiereOut, f));
  const ccx = path.join(outDir, 'premiere', `${manifest.id}_${manifest.version}.ccx`);
  const tmp = `${ccx}.tmp`;
  writeFileSync(tmp, zipSync(entries, { level: 6 }));
  renameSync(tmp, ccx);

  const resolveSrc = path.join(root, 'plugins', 'resolve');
  const resolveOut = path.join(outDir, 'resolve');
  rmSync(resolveOut, { recursive: true, force: true });
  mkdirSync(resolveOut, { recursive: true });
  const resolveFiles = readdirSync(resolveSrc).filter((f) => /\.(lua|py)$/.test(f));
  for (const f of resolveFiles) copyFileSync(path.join(resolveSrc, f), path.join(resolveOut, f));
  return { premiereDir: premiereOut, ccx, resolveDir: resolveOut, resolveFiles };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // npm run build:plugins [-- --out <folder>] (default dist/plugins)
  const at = process.argv.indexOf('--out');
  if (at !== -1 && !process.argv[at + 1]) {
    process.stderr.write('build-plugins: --out needs a folder\n');
    process.exit(2);
  }
  buildPlugins(at !== -1 ? path.resolve(process.argv[at + 1]) : undefined).then(
    (r) => {
      process.stdout.write(`Premiere Pro panel: ${r.premiereDir}\n  package: ${r.ccx}\nResolve scripts: ${r.resolveDir} (${r.resolveFiles.join(', ')})\n`);
    },
    (err) => {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
