import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { probe, type MediaInfo } from '../../core/media/index.ts';
import { formatDuration } from '../format.ts';

/** The stable JSON shape of `v2m probe --json` (documented in the README). */
export function probeJson(info: MediaInfo) {
  const v = info.video;
  const a = info.audio;
  return {
    path: info.path,
    durationSec: info.durationSec,
    container: info.container,
    sizeBytes: info.sizeBytes,
    video: v
      ? {
          codec: v.codec,
          width: v.displayWidth,
          height: v.displayHeight,
          codedWidth: v.width,
          codedHeight: v.height,
          fps: v.fps,
          realFps: v.realFps,
          frameCount: v.frameCount,
          vfr: v.vfr,
          rotation: v.rotation,
          durationSec: v.durationSec,
          startTimeSec: v.startTimeSec,
          pixFmt: v.pixFmt,
        }
      : null,
    audio: a ? { codec: a.codec, sampleRate: a.sampleRate, channels: a.channels, channelLayout: a.channelLayout } : null,
    audioStreams: info.audioStreams.length,
    warnings: info.warnings,
  };
}

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'describe a video or audio file (streams, frame rate, frame count, duration)',
  usage: 'v2m probe <file> [--json]\n\n  --json   print machine-readable JSON on stdout',
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('probe takes exactly one file');
    const info = await probe(positionals[0]!, { signal: ctx.signal });
    const json = probeJson(info);
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `${info.path}`,
      `  container  ${json.container}, ${formatDuration(json.durationSec)} (${json.durationSec.toFixed(3)} s), ${(json.sizeBytes / 1e6).toFixed(1)} MB`,
    ];
    const v = json.video;
    if (v) {
      const rot = v.rotation ? `, rotated ${v.rotation}° (coded ${v.codedWidth}×${v.codedHeight})` : '';
      lines.push(
        `  video      ${v.codec} ${v.width}×${v.height}${rot}, ${v.fps.toFixed(3)} fps${v.vfr ? ' (variable frame rate)' : ''}, ${v.frameCount} frames`,
      );
    } else lines.push('  video      none');
    const a = json.audio;
    lines.push(a ? `  audio      ${a.codec} ${a.sampleRate} Hz, ${a.channels} ch${json.audioStreams > 1 ? ` (+${json.audioStreams - 1} more streams)` : ''}` : '  audio      none');
    for (const w of json.warnings) lines.push(`  warning    ${w}`);
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
