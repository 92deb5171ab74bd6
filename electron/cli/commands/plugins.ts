import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand, type CliContext } from '../command.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RESOLVE_SOURCE = path.join(projectRoot, 'plugins', 'resolve');

const USAGE = [
  'v2m plugins install resolve [--to <Scripts folder>] [--json]',
  '',
  '  Copies the V2M Studio scripts into DaVinci Resolve\'s per-user Scripts/Edit folder, so they',
  '  appear under Workspace > Scripts > Edit. Lua runs in the free version; the Python script',
  '  needs Resolve Studio. The Premiere Pro panel is built by npm run build:plugins instead.',
].join('\n');

/** Resolve's per-user Scripts/Edit folder on each OS (Resolve's scripting README). */
export function resolveScriptsDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Blackmagic Design', 'DaVinci Resolve', 'Fusion', 'Scripts', 'Edit');
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'Blackmagic Design', 'DaVinci Resolve', 'Support', 'Fusion', 'Scripts', 'Edit');
  return path.join(home, '.local', 'share', 'DaVinciResolve', 'Fusion', 'Scripts', 'Edit');
}

/** Copies each script under a temporary name and renames it into place. */
export function installResolveScripts(target: string, source = RESOLVE_SOURCE): string[] {
  const files = readdirSync(source).filter((f) => /\.(lua|py)$/.test(f));
  if (files.length === 0) throw new Error(`No Resolve scripts found in ${source}.`);
  mkdirSync(target, { recursive: true });
  return files.map((f) => {
    const dest = path.join(target, f);
    const tmp = path.join(target, `.${f}.${process.pid}.tmp`);
    try {
      copyFileSync(path.join(source, f), tmp);
      renameSync(tmp, dest);
    } finally {
      if (existsSync(tmp)) rmSync(tmp, { force: true });
    }
    return dest;
  });
}

async function install(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { to: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('plugins install takes one editor: resolve');
  if (positionals[0] === 'premiere') throw new UsageError('the Premiere Pro panel is installed from its .ccx package: run npm run build:plugins, then open dist/plugins/premiere/*.ccx');
  if (positionals[0] !== 'resolve') throw new UsageError(`unknown editor "${positionals[0]}" (resolve)`);
  const target = values.to ? path.resolve(values.to) : resolveScriptsDir();
  const installed = installResolveScripts(target);
  if (values.json) ctx.stdout.write(`${JSON.stringify({ target, installed }, null, 2)}\n`);
  else ctx.stdout.write(`Installed into ${target}:\n${installed.map((f) => `  ${path.basename(f)}`).join('\n')}\nIn Resolve: Workspace > Scripts > Edit > V2M Studio (start V2M Studio first).\n`);
  return 0;
}

export const pluginsCommand: CliCommand = {
  name: 'plugins',
  summary: 'install the DaVinci Resolve scripts into Resolve\'s Scripts folder',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'install') return install(rest, ctx);
    throw new UsageError(sub ? `unknown plugins command "${sub}" (install)` : 'plugins needs a command: install');
  },
};
