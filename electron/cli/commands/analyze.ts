import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { formatDuration, formatTimecode } from '../format.ts';
import { analysisToJson, analyzeVideo, describeMood, writeAnalysisFile, type VideoAnalysis } from '../../core/video/index.ts';

const STAGE_LABEL = { probe: 'probing', frames: 'analysing', summary: 'summarising' } as const;

/** The human summary: cuts with timecodes, visual beats, mood. */
export function analysisSummary(a: VideoAnalysis): string {
  const m = a.mood.overall;
  const lines = [
    `${a.source.path}`,
    `  video        ${a.source.width}×${a.source.height}, ${a.fps.toFixed(3)} fps${a.source.vfr ? ' (variable)' : ''}, ${a.frameCount} frames, ${formatDuration(a.durationSec)}`,
    `  scene cuts   ${a.sceneCuts.length} (${a.sceneDetector} detector)`,
    ...a.sceneCuts.map((c) => `    ${formatTimecode(c.timeSec, a.fps)}  frame ${String(c.frame).padStart(6)}  ${c.timeSec.toFixed(3).padStart(9)} s  score ${c.score.toFixed(2)}`),
    `  visual beats ${a.visualBeats.length}${a.durationSec > 0 ? ` (${((a.visualBeats.length * 60) / a.durationSec).toFixed(1)} per minute)` : ''}`,
    `  mood         ${describeMood(m)}: valence ${m.valence.toFixed(2)}, arousal ${m.arousal.toFixed(2)}`,
    `               brightness ${m.brightness.toFixed(2)}, saturation ${m.saturation.toFixed(2)}, warmth ${m.warmth.toFixed(2)}, ` +
      `colourfulness ${m.colourfulness.toFixed(1)}, motion ${m.motionEnergy.toFixed(2)}, ${m.cutRate.toFixed(1)} cuts/min`,
  ];
  if (a.filmstrip) lines.push(`  filmstrip    ${a.filmstrip.tiles.length} tiles of ${a.filmstrip.width}×${a.filmstrip.height}, every ${a.filmstrip.intervalSec} s`);
  lines.push(a.waveform ? `  waveform     ${a.waveform.levels.length} zoom levels, ${(a.waveform.frames / a.waveform.sampleRate).toFixed(2)} s of audio` : '  waveform     no audio');
  for (const w of a.warnings) lines.push(`  warning      ${w}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `--json` takes an optional file: `--json=out.json`, or `--json out.json` when the next
 * argument ends in .json (so `--json video.mp4` still means "JSON on stdout").
 */
export function splitJsonOption(args: string[]): { jsonOut: string | true | undefined; rest: string[] } {
  const rest: string[] = [];
  let jsonOut: string | true | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--json=')) {
      const file = a.slice('--json='.length);
      if (!file) throw new UsageError('--json= needs a file name');
      jsonOut = file;
    } else if (a === '--json') {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-') && /\.json$/i.test(next)) {
        jsonOut = next;
        i++;
      } else jsonOut = true;
    } else rest.push(a);
  }
  return { jsonOut, rest };
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'find scene cuts, visual rhythm and beats, colour and mood of a video',
  usage: [
    'v2m analyze <video> [--json [out.json]] [--detector content|adaptive] [--no-filmstrip]',
    '',
    '  --json [out.json]   write the analysis as JSON: to out.json (a name ending in .json; large arrays go to out.bin next to it),',
    '                      or to stdout when no file is given (large arrays inline, base64)',
    '  --detector <name>   scene detector: content (default, PySceneDetect ContentDetector) or adaptive',
    '  --no-filmstrip      skip the filmstrip thumbnails',
  ].join('\n'),
  async run(args, ctx) {
    const { jsonOut, rest } = splitJsonOption(args);
    const { values, positionals } = parseCliArgs(rest, {
      detector: { type: 'string' },
      'no-filmstrip': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('analyze takes exactly one video file');
    const detector = values.detector ?? 'content';
    if (detector !== 'content' && detector !== 'adaptive') throw new UsageError(`--detector must be "content" or "adaptive", got "${detector}"`);

    const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
    let analysis: VideoAnalysis;
    try {
      analysis = await analyzeVideo(positionals[0]!, {
        signal: ctx.signal,
        detector,
        filmstrip: values['no-filmstrip'] ? false : undefined,
        onProgress: (p) => bar.update(STAGE_LABEL[p.stage], p.fraction),
      });
    } finally {
      bar.done();
    }
    if (jsonOut === true) {
      const { json } = analysisToJson(analysis, { inline: true });
      ctx.stdout.write(`${JSON.stringify(json)}\n`);
      return 0;
    }
    ctx.stdout.write(analysisSummary(analysis));
    if (typeof jsonOut === 'string') {
      const written = await writeAnalysisFile(analysis, jsonOut);
      ctx.stdout.write(`  written      ${written.json}${written.sidecar ? ` (+ ${written.sidecar})` : ''}\n`);
    }
    return 0;
  },
};
