import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { formatDuration } from '../format.ts';
import {
  editPoints, formatRate, framesToSeconds, framesToTimecode, parseRate, rateToFps, readTimelineFile, TimecodeError,
  type FrameRate, type ReadTimelineResult,
} from '../../core/timeline/index.ts';

/** `--fps 30000/1001` → rate, with the usage error a user can act on. */
export function parseFpsOption(text: string | undefined): FrameRate | undefined {
  if (text === undefined) return undefined;
  try {
    return parseRate(text);
  } catch (err) {
    if (err instanceof TimecodeError) throw new UsageError(`--fps: ${err.message}`);
    throw err;
  }
}

/** The JSON `v2m timeline --json` prints; times in seconds and frames, timecode as the editor shows it. */
export function timelineJson(file: string, r: ReadTimelineResult) {
  const t = r.timeline;
  const sec = (f: number) => Number(framesToSeconds(f, t.rate).toFixed(6));
  const tc = (f: number) => framesToTimecode(f, t.rate, t.dropFrame);
  return {
    file,
    format: r.format,
    name: t.name,
    fps: rateToFps(t.rate),
    fpsRational: formatRate(t.rate),
    dropFrame: t.dropFrame,
    startTimecode: tc(t.startFrame),
    startFrame: t.startFrame,
    durationSec: sec(t.durationFrames),
    durationFrames: t.durationFrames,
    cuts: editPoints(t).map((e) => ({ timeSec: sec(e.frame), frame: e.frame, timecode: tc(t.startFrame + e.frame) })),
    clips: [...t.videoTracks, ...t.audioTracks].flatMap((track, ti) => track.clips.map((c) => ({
      track: track.name, kind: track.kind, main: ti === 0 && track.kind === 'video',
      name: c.name, mediaPath: c.mediaPath, enabled: c.enabled,
      recordIn: c.recordIn, recordOut: c.recordOut, sourceIn: c.sourceIn, sourceOut: c.sourceOut,
      startSec: sec(c.recordIn), endSec: sec(c.recordOut),
    }))),
    markers: t.markers.map((m) => ({
      timeSec: sec(m.frame), frame: m.frame, timecode: tc(t.startFrame + m.frame), name: m.name, note: m.note,
      color: m.color, kind: m.kind, durationFrames: m.durationFrames, ...(m.strength !== undefined ? { strength: m.strength } : {}),
    })),
    media: t.media.map((m) => ({ id: m.id, name: m.name, path: m.path, url: m.url, durationFrames: m.durationFrames, fps: m.rate ? rateToFps(m.rate) : null })),
    warnings: r.warnings,
  };
}

function summary(j: ReturnType<typeof timelineJson>): string {
  const tracks = new Set(j.clips.map((c) => `${c.kind}:${c.track}`));
  const lines = [
    `${j.file}  (${j.format})`,
    `  name         ${j.name || '(unnamed)'}`,
    `  rate         ${j.fpsRational} (${j.fps.toFixed(3)} fps)${j.dropFrame ? ', drop-frame' : ''}`,
    `  start        ${j.startTimecode}`,
    `  duration     ${formatDuration(j.durationSec)} (${j.durationFrames} frames)`,
    `  tracks       ${[...tracks].filter((t) => t.startsWith('video')).length} video, ${[...tracks].filter((t) => t.startsWith('audio')).length} audio; ${j.clips.length} clips, ${j.media.length} media`,
    `  cuts         ${j.cuts.length}`,
    ...j.cuts.map((c) => `    ${c.timecode}  frame ${String(c.frame).padStart(6)}  ${c.timeSec.toFixed(3).padStart(9)} s`),
    `  markers      ${j.markers.length}`,
    ...j.markers.map((m) => `    ${m.timecode}  ${m.kind.padEnd(11)} ${m.name}`),
    ...j.warnings.map((w) => `  warning      ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

export const timelineCommand: CliCommand = {
  name: 'timeline',
  summary: 'read an editor timeline (FCPXML, Premiere/Resolve XML, EDL, OTIO): rate, cuts, clips, markers',
  usage: [
    'v2m timeline <file> [--json] [--fps <rate>]',
    '',
    '  <file>           .fcpxml / .fcpxmld (Final Cut Pro), .xml (FCP7 XML from Premiere or Resolve),',
    '                   .edl (CMX 3600 from Avid, Premiere, Resolve), .otio (OpenTimelineIO)',
    '  --json           print the timeline as JSON: fps, fpsRational, dropFrame, startTimecode, durationSec,',
    '                   cuts [{timeSec, frame}] (edit points of the main video track), clips, markers, media, warnings',
    '  --fps <rate>     the frame rate of an EDL (EDLs do not store one), e.g. 25, 29.97 or 30000/1001',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, fps: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('timeline takes exactly one timeline file');
    const file = positionals[0]!;
    const rate = parseFpsOption(values.fps);
    const r = await readTimelineFile(file, rate ? { rate } : {});
    const j = timelineJson(file, r);
    if (values.json) ctx.stdout.write(`${JSON.stringify(j, null, 2)}\n`);
    else {
      ctx.stdout.write(summary(j));
      for (const w of r.warnings) ctx.stderr.write(`warning: ${w}\n`);
    }
    return 0;
  },
};
