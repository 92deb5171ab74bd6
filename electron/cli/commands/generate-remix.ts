import { UsageError, type CliContext } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { generateRemix, type RemixResult, type RemixSummary } from '../../core/remix/index.ts';
import type { RhythmPlan } from '../../core/rhythm/index.ts';

/** The usage lines `generate` and `score` show for the remix generator. */
export const REMIX_USAGE = [
  '  --music <file>   remix: your own track, re-arranged to the clip (its beats and downbeats aimed at the cuts)',
  '  --max-stretch <%> remix: largest tempo nudge, pitch kept (0–6, default 6)',
].join('\n');

/** `--max-stretch` in percent → fraction. */
export function parseMaxStretch(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 6) throw new UsageError(`--max-stretch must be a percentage from 0 to 6, got "${v}"`);
  return n / 100;
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

/** The lines the CLI prints about a remix. */
export function remixLines(s: RemixSummary): string[] {
  const changes = s.tempo.map((t) => t.changePercent);
  const span = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)} %`;
  const nudge = changes.every((c) => Math.abs(c) < 0.05)
    ? 'no tempo change'
    : `tempo ${span(Math.min(...changes))}${Math.max(...changes) - Math.min(...changes) > 0.05 ? ` to ${span(Math.max(...changes))}` : ''} (${s.stretchEngines.join(', ')})`;
  const lines = [
    `  remix        ${s.music}: ${s.tempoBpm.toFixed(1)} BPM, ${s.beatsPerBar} beats a bar, ${s.bars} bars, ${s.sections} sections; ${nudge}`,
    `  seams        ${s.seams.length}${s.seams.length ? ` (similarity ${Math.min(...s.seams.map((x) => x.similarity)).toFixed(2)}–${Math.max(...s.seams.map((x) => x.similarity)).toFixed(2)})` : ''}, ending: ${s.ending === 'real' ? 'the track\'s own' : `a ${s.fadeSec.toFixed(1)} s fade`}`,
  ];
  if (s.cuts.aimed.count) {
    lines.push(`  cuts         ${s.cuts.aimed.count}: ${pct(s.cuts.aimed.onDownbeat)} on a downbeat, ${pct(s.cuts.aimed.onDownbeatOrStrongOnset)} on a downbeat or strong onset (unaimed remix: ${pct(s.cuts.unaimed.onDownbeat)}, ${pct(s.cuts.unaimed.onDownbeatOrStrongOnset)})`);
  }
  lines.push(`  time         ${s.timings.totalSec.toFixed(2)} s (track ${s.timings.analysisSec.toFixed(2)}${s.analysisCached ? ', analysis cached' : ''}, arranging ${s.timings.arrangingSec.toFixed(2)}, rendering ${s.timings.renderingSec.toFixed(2)}${s.timings.masteringSec > 0 ? `, mastering ${s.timings.masteringSec.toFixed(2)}` : ''})`);
  return lines;
}

/** The report's `remix` part: seams (output time, source times, similarity, flux) and cut landing rates. */
export function remixReport(s: RemixSummary) {
  return {
    music: s.music,
    trackSec: s.trackSec,
    tempoBpm: s.tempoBpm,
    beatsPerBar: s.beatsPerBar,
    bars: s.bars,
    sections: s.sections,
    tempo: s.tempo,
    stretchEngines: s.stretchEngines,
    ending: s.ending,
    fadeSec: s.fadeSec,
    analysisCached: s.analysisCached,
    seams: s.seams,
    beatFluxP95: s.beatFluxP95,
    /** Share of the plan's cuts on an output downbeat (±50 ms): this remix, and the same search unaimed. */
    cutsOnDownbeats: s.cuts.aimed.onDownbeat,
    cutsOnDownbeatsUnaimed: s.cuts.unaimed.onDownbeat,
    cuts: s.cuts,
    timings: s.timings,
  };
}

export interface RemixCliOptions {
  music: string | undefined;
  maxStretch: string | undefined;
  out: string;
}

/** `v2m generate … --generator remix --music track.wav`. */
export async function runRemixGenerate(input: string, plan: RhythmPlan, o: RemixCliOptions, ctx: CliContext): Promise<number> {
  if (!o.music) throw new UsageError('--generator remix needs --music <file>: the track to remix');
  const maxStretch = parseMaxStretch(o.maxStretch);
  const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
  let r: RemixResult;
  try {
    r = await generateRemix(plan, { music: o.music, out: o.out, maxStretch, signal: ctx.signal, onProgress: (p) => bar.update(p.stage, p.fraction) });
  } finally {
    bar.done();
  }
  const lines = [
    input,
    ...remixLines(r.summary),
    `  loudness     ${r.render.integratedLufs.toFixed(2)} LUFS, true peak ${r.render.truePeakDbtp.toFixed(2)} dBTP (limiter ${r.render.limiterReductionDb.toFixed(1)} dB)`,
    `  written      ${r.render.path}`,
    ...r.render.warnings.map((w) => `  warning      ${w}`),
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
