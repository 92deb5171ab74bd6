import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import type { GenerateResult } from '../../core/compose/index.ts';
import { STYLE_NAMES, styleByName } from '../../core/compose/styles.ts';
import { parsePlanJson, type RhythmPlan } from '../../core/rhythm/index.ts';
import { planVideo } from './plan.ts';
import { DIFFV2M_USAGE } from './diffv2m-usage.ts';
import { fsErrorWords } from '../../core/files/fs-error-words.ts';
import { REMIX_USAGE, runRemixGenerate } from './generate-remix.ts';

/** `--midi` alone, `--midi=file.mid`, or `--midi file.mid` (a name ending in .mid/.midi). */
export function splitMidiOption(args: string[]): { midi: string | true | undefined; rest: string[] } {
  const rest: string[] = [];
  let midi: string | true | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--midi=')) {
      midi = a.slice('--midi='.length);
      if (!midi) throw new UsageError('--midi= needs a file name');
    } else if (a === '--midi') {
      const next = args[i + 1];
      if (next !== undefined && /\.midi?$/i.test(next)) {
        midi = next;
        i++;
      } else midi = true;
    } else rest.push(a);
  }
  return { midi, rest };
}

export function parseSeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got "${v}"`);
  return n;
}

export function parseTempo(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 60 || n > 180) throw new UsageError(`--tempo must be a number of BPM from 60 to 180, got "${v}"`);
  return n;
}

export function parseStyle(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    return styleByName(v).name;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function generationSummary(g: GenerateResult): string {
  const s = g.summary, r = g.render;
  const lines = [
    `  style        ${s.style}, ${s.key}, seed ${s.seed}`,
    `  tempo        ${s.tempo.map((t) => `${t.bpm.toFixed(1)} BPM from ${t.startSec.toFixed(2)} s`).join(', ')}`,
    `  form         ${s.sections} sections, ${s.bars} bars, ${s.notes} notes, ${s.strongAccents} strong accents hit`,
    `  loudness     ${r.integratedLufs.toFixed(2)} LUFS, true peak ${r.truePeakDbtp.toFixed(2)} dBTP (limiter ${r.limiterReductionDb.toFixed(1)} dB)`,
    `  written      ${r.path}`,
  ];
  if (r.stems) lines.push(`  stems        ${Object.values(r.stems).join(', ')}`);
  if (g.midiPath) lines.push(`  midi         ${g.midiPath}`);
  for (const w of r.warnings) lines.push(`  warning      ${w}`);
  return `${lines.join('\n')}\n`;
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'compose and render music for a video or an edited plan.json (WAV, stems, MIDI)',
  usage: [
    'v2m generate <video|plan.json> [--style <name>] [--tempo <bpm>] [--intensity <0-1>] [--seed <n>] [--out music.wav] [--midi [file.mid]] [--stems]',
    '',
    `  --style <name>   ${STYLE_NAMES.join(', ')} (default: chosen from the mood)`,
    '  --tempo <bpm>    lock the tempo (60–180); default: fitted to the accents',
    '  --intensity <x>  0–1: 0.5 (default) follows the picture, lower is sparser, higher busier',
    '  --seed <n>       variation; the same plan, style and seed give the same music, byte for byte (default 1)',
    '  --out <file>     the mix, 44.1 kHz 24-bit WAV at −14 LUFS, true peak ≤ −1 dBTP (default music.wav)',
    '  --midi [file]    also write the Standard MIDI File (default: next to the WAV, .mid)',
    '  --stems          also write drums, bass, harmony and lead WAVs that sum to the mix',
    DIFFV2M_USAGE,
    REMIX_USAGE.replace('  --music', '  --generator remix\n  --music'),
  ].join('\n'),
  async run(args, ctx) {
    const { midi, rest } = splitMidiOption(args);
    const { values, positionals } = parseCliArgs(rest, {
      style: { type: 'string' }, tempo: { type: 'string' }, seed: { type: 'string' },
      out: { type: 'string', short: 'o' }, stems: { type: 'boolean' }, intensity: { type: 'string' },
      generator: { type: 'string' }, pack: { type: 'string' }, steps: { type: 'string' }, cfg: { type: 'string' }, device: { type: 'string' },
      music: { type: 'string' }, 'max-stretch': { type: 'string' },
    });
    const generator = values.generator ?? 'composer';
    if (generator !== 'composer' && generator !== 'diffv2m' && generator !== 'remix') throw new UsageError(`--generator must be composer, diffv2m or remix, got "${generator}"`);
    if (positionals.length !== 1) throw new UsageError('generate takes exactly one video or plan.json');
    const style = parseStyle(values.style);
    const tempo = parseTempo(values.tempo);
    const seed = parseSeed(values.seed) ?? 1;
    const intensity = values.intensity === undefined ? 0.5 : Number(values.intensity);
    if (!(intensity >= 0 && intensity <= 1)) throw new UsageError(`--intensity must be a number from 0 to 1, got "${values.intensity}"`);
    const out = values.out ?? 'music.wav';
    const input = positionals[0]!;
    let plan: RhythmPlan | null = null;
    if (/\.json$/i.test(input)) {
      let text: string;
      try {
        text = readFileSync(input, 'utf8');
      } catch (e) {
        throw new Error(`Cannot read the plan ${input}: ${fsErrorWords(e)}.`);
      }
      const parsed = parsePlanJson(text);
      for (const w of parsed.warnings) ctx.stderr.write(`warning: ${w}\n`);
      plan = parsed.plan;
    }
    if (generator === 'diffv2m') {
      // Each generator's engine is loaded only when it runs (the synthesizer, onnxruntime).
      const { runDiffV2mGenerate } = await import('./generate-diffv2m.ts');
      return runDiffV2mGenerate(input, plan, { pack: values.pack, seed, out, steps: values.steps, cfg: values.cfg, device: values.device }, ctx);
    }
    plan ??= await planVideo(input, ctx);
    if (generator === 'remix') return runRemixGenerate(input, plan, { music: values.music, maxStretch: values['max-stretch'], out }, ctx);
    const midiOut = midi === true ? path.join(path.dirname(out), `${path.basename(out, path.extname(out))}.mid`) : midi ?? null;
    const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
    let result: GenerateResult;
    try {
      const { generateMusic } = await import('../../core/compose/index.ts');
      result = await generateMusic(plan, { style, tempo, intensity, seed, out, midiOut, stems: values.stems, signal: ctx.signal, onProgress: (p) => bar.update(p.stage, p.fraction) });
    } finally {
      bar.done();
    }
    ctx.stdout.write(`${input}\n${generationSummary(result)}`);
    return 0;
  },
};
