import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { scoreVideo, STYLE_NAMES, type ScoreResult } from '../../core/compose/index.ts';
import { writeFileAtomic } from '../../core/files/atomic-write.ts';
import { MIX_MODES, probe, type MixMode } from '../../core/media/index.ts';
import { STRONG_ACCENT } from '../../core/rhythm/index.ts';
import { parseMaxStretch, REMIX_USAGE, remixLines, remixReport } from './generate-remix.ts';
import { DIFFV2M_USAGE, diffV2mCliParams } from './generate-diffv2m.ts';
import { parseSeed, parseStyle, parseTempo } from './generate.ts';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { interchangeMarkers, timelinePicture, timelinePlanner } from '../../core/api/timeline-import.ts';
import { INTERCHANGE_FORMATS, rateFromFps, readTimelineFile, writeInterchangeFile, type EditorTimeline, type InterchangeFormat } from '../../core/timeline/index.ts';
import { makeScratchDir } from '../../core/scratch/index.ts';
import { PLANNER_OPTIONS, PLANNER_USAGE, plannerFromFlags } from './planner-option.ts';
import type { ChosenPlanner } from '../../core/models/index.ts';

const FORMAT_BY_EXTENSION: Record<string, InterchangeFormat> = { '.fcpxml': 'fcpxml', '.xml': 'xmeml', '.edl': 'edl', '.otio': 'otio', '.csv': 'csv' };

/** --timeline-format, else the file's extension (the Resolve marker EDL only by name). */
export function timelineOutFormat(file: string, format: string | undefined): InterchangeFormat {
  if (format !== undefined) {
    if (!(INTERCHANGE_FORMATS as string[]).includes(format)) throw new UsageError(`--timeline-format must be one of ${INTERCHANGE_FORMATS.join(', ')}, got "${format}"`);
    return format as InterchangeFormat;
  }
  const f = FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()];
  if (!f) throw new UsageError(`cannot tell the format of ${file} from its extension; add --timeline-format ${INTERCHANGE_FORMATS.join('|')}`);
  return f;
}

/** Editor timelines `score` accepts instead of a video (the same readers as the app's import). */
const TIMELINE_FILE = /\.(fcpxml|fcpxmld|xml|edl|otio)[\\/]?$/i;
import { runScoreBatch } from '../batch/score-batch-command.ts';

/** The --report JSON: sync of the rendered music against the plan's accents, loudness, true peak. */
export function scoreReport(video: string, r: ScoreResult) {
  const s = r.sync?.strong;
  return {
    video,
    output: r.output,
    mix: r.mix,
    generator: r.generator,
    label: r.label,
    composition: r.composition,
    ...(r.diffv2m ? { diffv2m: r.diffv2m } : {}),
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
    'v2m score <timeline.fcpxml|.xml|.edl|.otio> -o scored.mp4 [--reference <movie>] [--media <folder>] …',
    'v2m score <folder|files…> --out-dir <dir> [--jobs N] [--style <name>] [--seed <n>] [--tempo <bpm>] [--mix …]',
    '',
    '  A timeline is scored on its own edit points (cuts) and markers (accents), on the picture of',
    '  --reference (a movie rendered from it, checked against its rate and length) or, without one,',
    '  on a conform of its sources (360p; --media <folder> finds offline files by name).',
    '  -o, --out <file>   the scored video (video stream copied, AAC music, faststart)',
    `  --style <name>     ${STYLE_NAMES.join(', ')} (default: chosen from the mood)`,
    '  --seed <n>         variation (default 1)',
    '  --tempo <bpm>      lock the tempo (60–180)',
    '  --mix <mode>       replace the original sound (default), mix it under the music, or duck the music under it',
    '  --report <file>    write the sync report (hit rate of the strong accents within ±50 ms), loudness and true peak',
    '  --timeline-out <file>  also write the sequence with the music (saved beside it) and the markers for the editor:',
    '                     .fcpxml, .xml (FCP7: Premiere, Resolve), .edl, .otio or .csv',
    `  --timeline-format <f>  ${INTERCHANGE_FORMATS.join(', ')} (default: from the extension)`,
    '  --out-dir <dir>    batch: score every video (folders: the videos inside) to <dir>/<name>.scored.mp4 + report;',
    '                     clips already scored (newer than their input) are skipped; summary.csv/json list each clip;',
    '                     exit code 1 when some clip failed',
    '  --jobs <n>         batch: clips scored at once (default: half the cores)',
    '  --generator <g>    composer (default), remix (your own track: needs --music) or diffv2m (needs a model pack)',
    PLANNER_USAGE,
    '                     (with --generator diffv2m, --pack and --device are the generator\'s, and also the neural planner\'s)',
    REMIX_USAGE,
    DIFFV2M_USAGE.split('\n').filter((l) => !l.includes('--generator')).join('\n'),
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, {
      out: { type: 'string', short: 'o' }, style: { type: 'string' }, seed: { type: 'string' }, tempo: { type: 'string' },
      mix: { type: 'string' }, report: { type: 'string' }, reference: { type: 'string' }, media: { type: 'string' },
      'timeline-out': { type: 'string' }, 'timeline-format': { type: 'string' }, 'out-dir': { type: 'string' }, jobs: { type: 'string' },
      generator: { type: 'string' }, music: { type: 'string' }, 'max-stretch': { type: 'string' }, ...PLANNER_OPTIONS,
      steps: { type: 'string' }, cfg: { type: 'string' },
    });
    const generator = values.generator ?? (values.music ? 'remix' : 'composer');
    if (generator !== 'composer' && generator !== 'remix' && generator !== 'diffv2m') throw new UsageError(`--generator must be composer, remix or diffv2m, got "${values.generator}"`);
    const neural = diffV2mCliParams(generator, values);
    if (generator === 'remix' && !values.music) throw new UsageError('--generator remix needs --music <file>: the track to remix');
    if (generator === 'composer' && values.music) throw new UsageError('--music goes with --generator remix');
    if (values['out-dir'] !== undefined) {
      if (generator !== 'composer') throw new UsageError(`batch scoring uses the built-in composer; --generator ${generator} scores one clip`);
      if (values.planner !== undefined || values.pack !== undefined || values.device !== undefined) throw new UsageError('batch scoring uses the heuristic planner; --planner neural scores one clip');
      if (values.out || values.report) throw new UsageError('--out-dir scores a batch; -o and --report are for one clip');
      if (values['timeline-out'] || values.reference || values.media) throw new UsageError('--timeline-out, --reference and --media are for one timeline, not a batch');
      const mix = (values.mix ?? 'replace') as MixMode;
      if (!MIX_MODES.includes(mix)) throw new UsageError(`--mix must be replace, mix or duck, got "${values.mix}"`);
      return runScoreBatch({
        paths: positionals, outDir: values['out-dir'], jobs: values.jobs, style: parseStyle(values.style), seed: parseSeed(values.seed) ?? 1,
        tempo: parseTempo(values.tempo) ?? null, mix,
      }, ctx);
    }
    if (values.jobs !== undefined) throw new UsageError('--jobs goes with --out-dir');
    const timelineOut = values['timeline-out'];
    const outFormat = timelineOut ? timelineOutFormat(timelineOut, values['timeline-format']) : null;
    if (!timelineOut && values['timeline-format']) throw new UsageError('--timeline-format needs --timeline-out <file>');
    const musicOut = timelineOut ? path.join(path.dirname(timelineOut), `${path.basename(timelineOut, path.extname(timelineOut))}-music.wav`) : undefined;
    if (positionals.length !== 1) throw new UsageError('score takes exactly one video file');
    if (!values.out) throw new UsageError('score needs an output file: -o scored.mp4');
    const mix = (values.mix ?? 'replace') as MixMode;
    if (!MIX_MODES.includes(mix)) throw new UsageError(`--mix must be replace, mix or duck, got "${values.mix}"`);
    const input = positionals[0]!;
    const isTimeline = TIMELINE_FILE.test(input);
    if (!isTimeline && (values.reference || values.media)) throw new UsageError('--reference and --media apply to a timeline file, not a video');
    const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
    let result: ScoreResult;
    let video = input;
    // Checked before any work: a missing pack or rhythm model is said at once.
    // --pack/--device go to the Diff-V2M generator; the neural planner shares them when asked for.
    const plannerFlags = generator === 'diffv2m' && values.planner !== 'neural' ? { planner: values.planner } : values;
    let chosen: ChosenPlanner = plannerFromFlags(plannerFlags);
    const tmp = isTimeline ? makeScratchDir('score-timeline-') : null;
    try {
      let planner = chosen.planner;
      let sequence: EditorTimeline | null = null;
      const extra: string[] = [];
      if (tmp) {
        const read = await readTimelineFile(input);
        const pic = await timelinePicture({
          timeline: read.timeline, referenceMoviePath: values.reference, searchFolder: values.media, conformOut: path.join(tmp, 'conform.mp4'),
          signal: ctx.signal, onProgress: (f) => bar.update('conform', f),
        });
        video = pic.video;
        // The timeline's edit points and markers stay; a neural planner predicts only the ODF.
        await chosen.close();
        chosen = plannerFromFlags(plannerFlags, timelinePlanner(pic.timeline));
        planner = chosen.planner;
        sequence = read.timeline;
        extra.push(...read.warnings, ...pic.warnings);
      }
      result = await scoreVideo(video, {
        out: values.out, style: parseStyle(values.style), seed: parseSeed(values.seed) ?? 1, tempo: parseTempo(values.tempo), mix,
        report: values.report !== undefined, signal: ctx.signal, ...(planner ? { planner } : {}), ...(musicOut ? { musicOut } : {}),
        ...(generator === 'remix' ? { music: values.music, maxStretch: parseMaxStretch(values['max-stretch']) } : {}),
        ...(neural ? { generator: 'diffv2m' as const, params: neural } : {}),
        onProgress: (p) => bar.update(p.stage, p.fraction),
      });
      result.warnings.unshift(...extra);
      if (timelineOut && outFormat && musicOut) {
        // The original sequence (or the video as one clip), the music from its first frame, the plan's markers.
        const rate = sequence?.rate ?? rateFromFps(result.plan.fps);
        const v = sequence ? null : (await probe(input, { signal: ctx.signal })).video;
        await writeInterchangeFile(timelineOut, outFormat, {
          timeline: sequence,
          markers: interchangeMarkers(result.plan, rate, rate.num / rate.den, sequence),
          music: { path: path.resolve(musicOut), durationSec: result.plan.durationSec },
          ...(sequence ? {} : { video: { path: path.resolve(input), fps: rate, durationSec: result.plan.durationSec, ...(v ? { width: v.displayWidth, height: v.displayHeight } : {}) } }),
        });
      }
    } finally {
      bar.done();
      await chosen.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
    if (values.report) writeFileAtomic(values.report, new TextEncoder().encode(`${JSON.stringify(scoreReport(input, result), null, 2)}\n`));
    const c = result.composition, r = result.render, s = result.sync?.strong;
    const lines = [
      `${input}`,
      ...(result.plan.source ? [`  planner      ${result.plan.source.planner}`] : []),
      ...(c ? [`  music        ${c.style}, ${c.key}, ${c.tempo.map((t) => t.bpm.toFixed(1)).join(' → ')} BPM, seed ${c.seed}`] : []),
      ...(result.remix ? remixLines(result.remix) : []),
      ...(result.diffv2m ? [`  music        ${result.label}`] : []),
      `  accents      ${c ? `${c.strongAccents} strong` : `${result.plan.accents.filter((a) => a.strength >= STRONG_ACCENT).length} strong`}${s ? `, ${s.hits} hit within ±50 ms (${(s.hitRate * 100).toFixed(1)} %)` : ''}`,
      `  loudness     ${r.integratedLufs.toFixed(2)} LUFS, true peak ${r.truePeakDbtp.toFixed(2)} dBTP`,
      `  written      ${result.output} (${result.mix})`,
      ...(values.report ? [`  report       ${values.report}`] : []),
      ...(timelineOut ? [`  timeline     ${timelineOut} (${outFormat}) with ${musicOut}`] : []),
      ...result.warnings.map((w) => `  warning      ${w}`),
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
