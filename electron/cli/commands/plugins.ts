import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../core/files/atomic-write.ts';
import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand, type CliContext } from '../command.ts';

// electron/cli/commands (or out/cli/commands in the precompiled build) → project root.
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RESOLVE_SOURCE = path.join(projectRoot, 'plugins', 'resolve');

const USAGE = [
  'v2m plugins install resolve [--dir <folder>] [--json]',
  '',
  '  Copies the V2M Studio scripts for DaVinci Resolve ("V2M Studio.lua" for the free version,',
  '  "V2M Studio (Python).py" for Resolve Studio) into your per-user Fusion/Scripts/Utility folder,',
  '  so they are listed under Workspace > Scripts on every page. Existing copies are replaced.',
  '',
  '  --dir <folder>  install into this folder instead (e.g. the all-users Scripts/Utility folder)',
  '  --json          print { target, installed } as JSON',
  '',
  '  The Premiere Pro panel is built by npm run build:plugins instead (see the README).',
].join('\n');

/** Where Resolve keeps its per-user files on each OS (Resolve's scripting README, "Specific user"). */
export function resolveUserDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Blackmagic Design', 'DaVinci Resolve');
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Blackmagic Design', 'DaVinci Resolve', 'Support');
  return path.posix.join(home, '.local', 'share', 'DaVinciResolve');
}

/** Resolve's per-user Scripts/Utility folder: scripts there are listed on every page. */
export function resolveScriptsDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(resolveUserDir(platform, env, home), 'Fusion', 'Scripts', 'Utility');
}

/**
 * Copies every .lua/.py script from `source` into `target`. All scripts are read before anything
 * is written, and each lands by rename, so Resolve never lists half a script.
 */
export function installResolveScripts(target: string, source = RESOLVE_SOURCE): string[] {
  const names = existsSync(source) ? readdirSync(source).filter((f) => /\.(lua|py)$/.test(f)).sort() : [];
  if (names.length === 0) throw new Error(`No Resolve scripts found in ${source}; this copy of V2M Studio is incomplete.`);
  const scripts = names.map((name) => ({ name, text: readFileSync(path.join(source, name), 'utf8') }));
  if (existsSync(target) && !statSync(target).isDirectory()) throw new Error(`${target} is a file, not a folder; pass the Scripts folder with --dir.`);
  try {
    return scripts.map(({ name, text }) => {
      const dest = path.join(target, name);
      writeFileAtomic(dest, text, { mode: 0o644, mkdir: true });
      return dest;
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new Error(`Cannot write into ${target} (${code === 'EROFS' ? 'read-only file system' : 'permission denied'}); choose a folder you can write to with --dir.`);
    }
    throw err;
  }
}

async function install(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { dir: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('plugins install takes one editor: resolve');
  const editor = positionals[0]!.toLowerCase();
  if (editor === 'premiere') throw new UsageError('the Premiere Pro panel is not copied by v2m: run npm run build:plugins, then load dist/plugins/premiere/<id> in the UXP Developer Tool or double-click the .ccx (see the README)');
  if (editor === 'finalcut' || editor === 'fcp') throw new UsageError('Final Cut Pro has no panel for V2M Studio: export FCPXML from Final Cut and open it in the app (see the README)');
  if (editor !== 'resolve') throw new UsageError(`unknown editor "${positionals[0]}" (resolve)`);
  if (values.dir !== undefined && values.dir.trim() === '') throw new UsageError('--dir needs a folder');
  let target: string;
  if (values.dir !== undefined) {
    target = path.resolve(values.dir);
  } else {
    const userDir = resolveUserDir();
    // No per-user Resolve folder: Resolve is not installed or has never been started by this user.
    if (!existsSync(userDir)) {
      throw new Error(`DaVinci Resolve's user folder ${userDir} does not exist: install Resolve and start it once, or pass the Scripts folder with --dir.`);
    }
    target = resolveScriptsDir();
  }
  const installed = installResolveScripts(target);
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify({ target, installed }, null, 2)}\n`);
  } else {
    ctx.stdout.write([
      `Installed into ${target}:`,
      ...installed.map((f) => `  ${path.basename(f)}`),
      'In Resolve: Workspace > Scripts > V2M Studio (free version: the Lua script; Studio: either). Start V2M Studio first.',
      '',
    ].join('\n'));
  }
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
