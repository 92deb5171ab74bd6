import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { scoreVideo, writeFileAtomic, STYLE_NAMES, type ScoreResult } from '../../core/compose/index.ts';
import { MIX_MODES, type MixMode } from '../../core/media/index.ts';
import { STRONG_ACCENT } from '../../core/rhythm/index.ts';
import { parseSeed, parseStyle, parseTempo } from './generate.ts';
import { parseMaxStretch, REMIX_USAGE, remixLines, remixReport } from './generate-remix.ts';

/** The --report JSON: sync of the rendered music against the plan's accents, loudness, true peak. */
export function scoreReport(video: string, r: ScoreResult) {
  const s = r.sync?.strong;
  return {
    video,
    output: r.output,
    mix: r.mix,
    composition: r.composition,
    ...(r.remix ? { remix: remixReport(r.remix) } : {}),
    sync: s
      ? {
          windowSec: s.windowSec,
          strongAccents: s.accents.length,
          hits: s.hits,
          hitRate: s.hitRate,
          weightedHitRate: s.weightedHitRate,
          weakAccents: r.sync!.weakCount,
          weakHits: r.sync!.weakHits,
          onsetsDetected: r.sync!.onsets,
          onsetF: s.onsetF,
          beatScores: s.beatScores,
          offsets: s.offsets,
          estimatedTempo: s.tempo,
          accents: s.accents,
        }
      : null,
    loudness: {
      integratedLufs: r.render.integratedLufs,
      truePeakDbtp: r.render.truePeakDbtp,
      gainDb: r.render.gainDb,
      limiterReductionDb: r.render.limiterReductionDb,
      longestSilenceSec: r.render.longestSilenceSec,
      ffmpeg: r.ffmpegLoudness,
    },
    plan: r.plan,
    warnings: r.warnings,
  };
}

export const scoreCommand: CliCommand = {
  name: 'score',
  summary: 'score a video with music that lands on its cuts and visual beats; writes an MP4',
  usage: [
    'v2m score <video> -o scored.mp4 [--style <name>] [--seed <n>] [--tempo <bpm>] [--mix replace|mix|duck] [--report report.json]',
    '',
    '  -o, --out <file>   the scored video (video stream copied, AAC music, faststart)',
    `  --style <name>     ${STYLE_NAMES.join(', ')} (default: chosen from the mood)`,
    '  --seed <n>         variation (default 1)',
    '  --tempo <bpm>      lock the tempo (60–180)',
    '  --mix <mode>       replace the original sound (default), mix it under the music, or duck the music under it',
    '  --report <file>    write the sync report (hit rate of the strong accents within ±50 ms), loudness and true peak',
    '  --generator <g>    composer (default) or remix (your own track: needs --music)',
    REMIX_USAGE,
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, {
      out: { type: 'string', short: 'o' }, style: { type: 'string' }, seed: { type: 'string' }, tempo: { type: 'string' },
      mix: { type: 'string' }, report: { type: 'string' },
      generator: { type: 'string' }, music: { type: 'string' }, 'max-stretch': { type: 'string' },
    });
    const generator = values.generator ?? (values.music ? 'remix' : 'composer');
    if (generator !== 'composer' && generator !== 'remix') throw new UsageError(`--generator must be composer or remix, got "${values.generator}"`);
    if (generator === 'remix' && !values.music) throw new UsageError('--generator remix needs --music <file>: the track to remix');
    if (generator === 'composer' && values.music) throw new UsageError('--music goes with --generator remix');
    if (positionals.length !== 1) throw new UsageError('score takes exactly one video file');
    if (!values.out) throw new UsageError('score needs an output file: -o scored.mp4');
    const mix = (values.mix ?? 'replace') as MixMode;
    if (!MIX_MODES.includes(mix)) throw new UsageError(`--mix must be replace, mix or duck, got "${values.mix}"`);
    const video = positionals[0]!;
    const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
    let result: ScoreResult;
    try {
      result = await scoreVideo(video, {
        out: values.out, style: parseStyle(values.style), seed: parseSeed(values.seed) ?? 1, tempo: parseTempo(values.tempo), mix,
        report: values.report !== undefined, signal: ctx.signal,
        ...(generator === 'remix' ? { music: values.music, maxStretch: parseMaxStretch(values['max-stretch']) } : {}),
        onProgress: (p) => bar.update(p.stage, p.fraction),
      });
    } finally {
      bar.done();
    }
    if (values.report) writeFileAtomic(values.report, new TextEncoder().encode(`${JSON.stringify(scoreReport(video, result), null, 2)}\n`));
    const c = result.composition, r = result.render, s = result.sync?.strong;
    const lines = [
      `${video}`,
      ...(c ? [`  music        ${c.style}, ${c.key}, ${c.tempo.map((t) => t.bpm.toFixed(1)).join(' → ')} BPM, seed ${c.seed}`] : []),
      ...(result.remix ? remixLines(result.remix) : []),
      `  accents      ${c ? `${c.strongAccents} strong` : `${result.plan.accents.filter((a) => a.strength >= STRONG_ACCENT).length} strong`}${s ? `, ${s.hits} hit within ±50 ms (${(s.hitRate * 100).toFixed(1)} %)` : ''}`,
      `  loudness     ${r.integratedLufs.toFixed(2)} LUFS, true peak ${r.truePeakDbtp.toFixed(2)} dBTP`,
      `  written      ${result.output} (${result.mix})`,
      ...(values.report ? [`  report       ${values.report}`] : []),
      ...result.warnings.map((w) => `  warning      ${w}`),
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
