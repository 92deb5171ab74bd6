import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseFpsOption } from './timeline.ts';
import { normalizePlan } from '../../core/rhythm/index.ts';
import { probe } from '../../core/media/index.ts';
import {
  FCPXML_VERSIONS, INTERCHANGE_FORMATS, MARKER_KINDS, parseTimelineText, planMarkers, rateFromFps, rateToFps, resolveInterchange,
  timecodeToFrames, writeInterchangeFile,
  type FcpxmlVersion, type InterchangeFormat, type InterchangeInput, type MarkerKind,
} from '../../core/timeline/index.ts';

/** Kinds from `--kinds cut,accent`; "beat" is accepted for visual-beat. */
export function parseKinds(text: string | undefined): MarkerKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text.split(',').map((k) => k.trim()).filter(Boolean).map((k) => (k === 'beat' || k === 'visual_beat' ? 'visual-beat' : k));
  const bad = kinds.filter((k) => !(MARKER_KINDS as string[]).includes(k));
  if (bad.length || !kinds.length) throw new UsageError(`--kinds: ${bad.length ? `unknown kind "${bad[0]}"` : 'give at least one kind'}; choose from ${MARKER_KINDS.join(', ')}.`);
  return kinds as MarkerKind[];
}

export const markersCommand: CliCommand = {
  name: 'markers',
  summary: 'write markers (and the music) for Final Cut, Premiere, Resolve or Avid from a plan or a timeline',
  usage: [
    'v2m markers <plan.json | timeline> --format <format> -o <file> [options]',
    '',
    '  <plan.json>        a rhythm plan (`v2m plan --json`): its accents and cuts become markers on a',
    '                     one-clip sequence of the plan\'s video (or --video)',
    '  <timeline>         an editor timeline (see `v2m timeline`): written back with its markers, in any format',
    '  --plan <plan.json> with a timeline: add the plan\'s accents and cuts as markers (plan time 0 = sequence start)',
    `  --format <f>       ${INTERCHANGE_FORMATS.join(' | ')}`,
    '                     fcpxml: Final Cut Pro; xmeml: FCP7 XML for Premiere and Resolve; edl: CMX 3600 with',
    '                     * LOC: markers (Avid); resolve-edl: Resolve\'s marker EDL; otio: OpenTimelineIO; csv',
    '  -o, --out <file>   where to write (atomically)',
    '  --fps <rate>       frame rate: the plan\'s by default; needed for an EDL input (e.g. 30000/1001)',
    '  --drop-frame       drop-frame timecode for a plan at 29.97 / 59.94',
    '  --start <tc>       start timecode of the sequence made for a plan (default 00:00:00:00)',
    '  --music <file>     the generated music, placed at the sequence start on its own audio track',
    '  --video <file>     the video a plan\'s sequence plays (default: the one the plan names)',
    `  --kinds <list>     only these marker kinds, comma-separated: ${MARKER_KINDS.join(', ')}`,
    '  --min-strength <x> only markers at least this strong (0..1); markers without a strength stay',
    `  --fcpxml-version <v>  ${FCPXML_VERSIONS.join(' | ')} (default 1.10)`,
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, {
      format: { type: 'string' }, out: { type: 'string', short: 'o' }, fps: { type: 'string' }, music: { type: 'string' },
      video: { type: 'string' }, kinds: { type: 'string' }, 'min-strength': { type: 'string' }, 'fcpxml-version': { type: 'string' },
      'drop-frame': { type: 'boolean' }, start: { type: 'string' }, plan: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('markers takes exactly one plan or timeline file');
    const format = values.format as InterchangeFormat | undefined;
    if (!format || !INTERCHANGE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${INTERCHANGE_FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('give the output file with -o <file>');
    const version = values['fcpxml-version'] as FcpxmlVersion | undefined;
    if (version && !FCPXML_VERSIONS.includes(version)) throw new UsageError(`--fcpxml-version must be one of ${FCPXML_VERSIONS.join(', ')}`);
    let minStrength: number | undefined;
    if (values['min-strength'] !== undefined) {
      minStrength = Number(values['min-strength']);
      if (!(minStrength >= 0 && minStrength <= 1)) throw new UsageError(`--min-strength must be a number from 0 to 1, got "${values['min-strength']}"`);
    }
    const rate = parseFpsOption(values.fps);
    const kinds = parseKinds(values.kinds);
    const file = positionals[0]!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new Error(`${file} does not exist or cannot be read.`);
    }

    let input: InterchangeInput;
    const json = (() => {
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        return null;
      }
    })();
    if (json && Array.isArray(json.accents)) {
      if (values.plan) throw new UsageError('--plan goes with a timeline input; the input is already a plan');
      const { plan, warnings } = normalizePlan(json);
      for (const w of warnings) ctx.stderr.write(`warning: ${w}\n`);
      const video = values.video ?? plan.source?.video;
      if (!video) throw new UsageError('the plan does not name its video; give it with --video <file>');
      const r = rate ?? rateFromFps(plan.fps);
      let startFrame = 0;
      if (values.start) {
        try {
          startFrame = timecodeToFrames(values.start, r, values['drop-frame'] ? true : undefined);
        } catch (err) {
          throw new UsageError(`--start: ${(err as Error).message}`);
        }
      }
      input = {
        timeline: null,
        markers: planMarkers(plan, r),
        video: { path: path.resolve(video), fps: r, durationSec: plan.durationSec, dropFrame: values['drop-frame'] === true, startFrame },
      };
    } else {
      if (json && !('OTIO_SCHEMA' in json)) throw new Error(`${file} is JSON but neither a rhythm plan (it has no "accents") nor an OpenTimelineIO timeline.`);
      if (values.video || values.start || values['drop-frame']) throw new UsageError('--video, --start and --drop-frame apply to a plan; a timeline has its own');
      const r = parseTimelineText(text, file, rate ? { rate } : {});
      for (const w of r.warnings) ctx.stderr.write(`warning: ${w}\n`);
      input = { timeline: r.timeline, markers: r.timeline.markers };
      if (values.plan) {
        let planJson: unknown;
        try {
          planJson = JSON.parse(await readFile(values.plan, 'utf8'));
        } catch (err) {
          throw new Error(`${values.plan} cannot be read as a plan: ${(err as Error).message}`);
        }
        const { plan, warnings } = normalizePlan(planJson);
        for (const w of warnings) ctx.stderr.write(`warning: ${w}\n`);
        const seqSec = r.timeline.durationFrames * r.timeline.rate.den / r.timeline.rate.num;
        if (Math.abs(plan.durationSec - seqSec) > 1) ctx.stderr.write(`warning: the plan lasts ${plan.durationSec.toFixed(2)} s but the sequence ${seqSec.toFixed(2)} s; is it the plan of this sequence?\n`);
        input.markers = [...r.timeline.markers, ...planMarkers(plan, r.timeline.rate)].sort((a, b) => a.frame - b.frame);
      }
    }
    if (values.music) {
      const info = await probe(values.music, { signal: ctx.signal });
      if (!info.audio) throw new Error(`${values.music} has no audio stream to place as music.`);
      input.music = { path: path.resolve(values.music), durationSec: info.durationSec, sampleRate: info.audio.sampleRate || 48000 };
    }
    input.kinds = kinds;
    input.minStrength = minStrength;
    if (version) input.fcpxmlVersion = version;
    await writeInterchangeFile(values.out, format, input);
    const resolved = resolveInterchange(input);
    const dropped = input.markers.length - resolved.markers.length;
    ctx.stdout.write(`${values.out}  ${format}, ${resolved.markers.length} markers${dropped ? ` (${dropped} filtered out or outside the sequence)` : ''} at ${rateToFps(resolved.timeline.rate).toFixed(3)} fps${resolved.music ? ', with music' : ''}\n`);
    return 0;
  },
};
