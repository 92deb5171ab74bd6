import { readFileSync } from 'node:fs';
import { UsageError, type CliCommand, type CliContext } from './command.ts';
import { sweepStaleScratch } from '../core/scratch/index.ts';

/** The commands pull in the whole engine (onnxruntime, the synthesizer…): each is loaded only when needed, so `--version` is instant. */
async function loadCommands(): Promise<CliCommand[]> {
  return (await import('./commands/index.ts')).loadAllCommands();
}

/** The one command named, or null when there is none of that name. */
async function loadCommand(name: string): Promise<CliCommand | null> {
  const entry = (await import('./commands/index.ts')).commandLoaders.find((c) => c.name === name);
  return entry ? entry.load() : null;
}

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'v2m — V2M Studio on the command line: analyse a video and score it with music.',
    '',
    'Usage: v2m <command> [options]   (v2m <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    ctx.stdout.write(`${appVersion()}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(help(await loadCommands()));
    return name ? 0 : 2;
  }
  const cmd = await loadCommand(name);
  if (!cmd) {
    ctx.stderr.write(`v2m: unknown command "${name}"\n\n${help(await loadCommands())}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(`${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr.write(`v2m ${cmd.name}: ${err.message}\n\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    if (ctx.signal.aborted) {
      ctx.stderr.write('v2m: cancelled\n');
      return 130;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`v2m ${cmd.name}: ${message}\n`);
    if (process.env.V2M_DEBUG && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

/** Entry point used by bin/v2m.js. */
export async function main(): Promise<void> {
  // Temporary work left by a killed earlier run (never a live process's).
  sweepStaleScratch();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  process.once('SIGTERM', () => controller.abort(new Error('terminated')));
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    signal: controller.signal,
  });
  process.exitCode = code;
}
