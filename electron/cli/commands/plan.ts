import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { formatDuration, formatTimecode } from '../format.ts';
import { analyzeVideo } from '../../core/video/index.ts';
import { heuristicPlanner, planToJson, STRONG_ACCENT, type RhythmPlan, type RhythmPlanner } from '../../core/rhythm/index.ts';
import { writeFileAtomic } from '../../core/files/atomic-write.ts';
import { PLANNER_OPTIONS, PLANNER_USAGE, plannerFromFlags } from './planner-option.ts';

/** Video → analysis → rhythm plan, with a progress bar on a TTY. Shared by plan and generate. */
export async function planVideo(video: string, ctx: { signal: AbortSignal; stderr: NodeJS.WritableStream; isTTY: boolean }, planner: RhythmPlanner = heuristicPlanner): Promise<RhythmPlan> {
  const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
  try {
    const analysis = await analyzeVideo(video, {
      signal: ctx.signal, filmstrip: false, histograms: false, waveform: false,
      onProgress: (p) => bar.update('analysing', p.fraction),
    });
    bar.done();
    for (const w of analysis.warnings) ctx.stderr.write(`warning: ${w}\n`);
    return await planner.plan(analysis, { signal: ctx.signal, onProgress: (p) => bar.update(p.stage, p.fraction) });
  } finally {
    bar.done();
  }
}

export function planSummary(p: RhythmPlan): string {
  const strong = p.accents.filter((a) => a.strength >= STRONG_ACCENT);
  const lines = [
    ...(p.source ? [`  planner      ${p.source.planner}`] : []),
    `  duration     ${formatDuration(p.durationSec)} at ${p.fps.toFixed(3)} fps`,
    `  cuts         ${p.cuts.length}`,
    `  accents      ${p.accents.length} (${strong.length} strong: ${strong.filter((a) => a.kind === 'cut').length} cuts, ${strong.filter((a) => a.kind === 'visual-beat').length} visual beats)`,
    ...p.accents.map((a) => `    ${formatTimecode(a.timeSec, p.fps)}  ${a.timeSec.toFixed(3).padStart(9)} s  ${a.kind.padEnd(11)} ${a.strength.toFixed(2)}`),
    `  mood         valence ${p.mood.valence.toFixed(2)}, arousal ${p.mood.arousal.toFixed(2)}`,
    `  odfLR        ${p.odfLR.map((v) => v.toFixed(2)).join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'make the rhythm plan of a video: accents (cuts, visual beats), per-second ODF, mood',
  usage: [
    'v2m plan <video> [--json] [--out plan.json] [--planner heuristic|neural [--pack <p>] [--device <d>]]',
    '',
    '  --json           print the plan as JSON on stdout (the file `v2m generate` accepts)',
    '  --out <file>     also write the JSON plan to a file',
    PLANNER_USAGE,
    '  The plan records its planner in source.planner (heuristic-1, or diffv2m-rhythm:<pack>).',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, out: { type: 'string' }, ...PLANNER_OPTIONS });
    if (positionals.length !== 1) throw new UsageError('plan takes exactly one video file');
    const chosen = plannerFromFlags(values);
    let plan: RhythmPlan;
    try {
      plan = await planVideo(positionals[0]!, ctx, chosen.planner);
    } finally {
      await chosen.close();
    }
    const json = planToJson(plan);
    if (values.out) writeFileAtomic(values.out, new TextEncoder().encode(`${json}\n`));
    if (values.json) ctx.stdout.write(`${json}\n`);
    else ctx.stdout.write(`${positionals[0]}\n${planSummary(plan)}${values.out ? `  written      ${values.out}\n` : ''}`);
    return 0;
  },
};
