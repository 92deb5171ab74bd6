import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand, type CliContext } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import {
  installPack, listPacks, ModelPack, MODEL_NAMES, onnxRuntimeInfo, resolvePack, userModelsDir, verifyPack,
  type DevicePreference, type PackListing, type SessionInfo,
} from '../../core/models/index.ts';

const USAGE = [
  'v2m models list [--json]',
  'v2m models verify <pack name|folder> [--load] [--device auto|cuda|cpu] [--json]',
  'v2m models install <folder|http(s) URL> [--force] [--to <models folder>]',
  '',
  '  list      model packs in the user models folder and the bundled native-models/ folder',
  '  verify    check every file of a pack against its manifest (size and sha256); with --load,',
  '            also open each model (CUDA first, CPU fallback) and check its declared inputs',
  '  install   copy or download a pack (resumes an interrupted download, checks sha256 while',
  '            streaming, renames into place only when complete)',
  '',
  `  user models folder: ${userModelsDir()} (V2M_MODELS_DIR overrides)`,
].join('\n');

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

function runtimeLine(): string {
  const ort = onnxRuntimeInfo();
  if (!ort.version) return `onnxruntime: not installed (${ort.problem})`;
  return `onnxruntime-node ${ort.version}; CUDA execution provider ${ort.cudaProvider ? 'installed' : 'not installed (npm run gpu:cuda)'}`;
}

function listingLine(p: PackListing): string {
  const head = `${p.name.padEnd(20)} ${p.source.padEnd(8)} ${p.status === 'ok' ? 'ok     ' : 'INVALID'} ${mb(p.bytes).padStart(10)}  ${p.precisions.join('+') || '-'}`;
  return `${head}\n    ${p.dir}${p.problem ? `\n    problem: ${p.problem}` : ''}`;
}

export function sessionLine(s: SessionInfo): string {
  const why = s.fallbackReason ? ` (CUDA not used: ${s.fallbackReason})` : '';
  return `${s.model.padEnd(17)} ${s.provider.toUpperCase()} ${s.precision} ${s.file}${why}${s.notes.map((n) => `\n    note: ${n}`).join('')}`;
}

async function list(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError('models list takes no arguments');
  const packs = listPacks();
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify({ runtime: onnxRuntimeInfo(), userModelsDir: userModelsDir(), packs }, null, 2)}\n`);
    return 0;
  }
  ctx.stdout.write(`${runtimeLine()}\n`);
  ctx.stdout.write(packs.length ? `${packs.map(listingLine).join('\n')}\n` : `No model pack found; install one with v2m models install <folder|URL>.\n`);
  return 0;
}

async function verify(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, load: { type: 'boolean' }, device: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('models verify takes one pack name or folder');
  const device = (values.device ?? 'auto') as DevicePreference;
  if (!['auto', 'cuda', 'cpu'].includes(device)) throw new UsageError(`--device must be auto, cuda or cpu, got "${values.device}"`);
  const listing = resolvePack(positionals[0]!);
  const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
  const sessions: SessionInfo[] = [];
  try {
    const m = await verifyPack(listing.dir, { signal: ctx.signal, onProgress: (p) => bar.update('verifying', p.fraction) });
    bar.done();
    if (values.load) {
      const pack = ModelPack.open(listing.dir, { device });
      try {
        for (const name of MODEL_NAMES) sessions.push(await pack.load(name, ctx.signal));
      } finally {
        await pack.close();
      }
    }
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ ok: true, name: m.name, dir: listing.dir, sessions }, null, 2)}\n`);
      return 0;
    }
    ctx.stdout.write(`${m.name}: every file matches its manifest (size and sha256)\n    ${listing.dir}\n`);
    for (const s of sessions) ctx.stdout.write(`  ${sessionLine(s)}\n`);
    return 0;
  } finally {
    bar.done();
  }
}

async function install(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { force: { type: 'boolean' }, to: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('models install takes one folder or URL');
  const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
  try {
    const r = await installPack(positionals[0]!, {
      destRoot: values.to, force: values.force, signal: ctx.signal,
      onProgress: (p) => bar.update(p.stage, p.fraction),
      onNote: (n) => { bar.done(); ctx.stderr.write(`${n}\n`); },
    });
    bar.done();
    ctx.stdout.write(`installed ${r.name} (${mb(r.bytes)}${r.resumedBytes ? `, ${mb(r.resumedBytes)} resumed` : ''}), every file checked against its sha256\n    ${r.dir}\n`);
    return 0;
  } finally {
    bar.done();
  }
}

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'list, verify and install Diff-V2M model packs (ONNX)',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, ctx);
    if (sub === 'verify') return verify(rest, ctx);
    if (sub === 'install') return install(rest, ctx);
    throw new UsageError(sub ? `unknown models command "${sub}" (list, verify or install)` : 'models needs a command: list, verify or install');
  },
};
