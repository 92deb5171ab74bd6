import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { appInfo } from '../../core/api/app-info.ts';
import type { ToolInfo } from '../../shared/domain.ts';

/** `v2m info`: what this installation runs. Separate from `--version`, which must not start ffmpeg. */
export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'which ffmpeg and ffprobe run (path, where found, version), onnxruntime and its CUDA provider',
  usage:
    'v2m info [--json]\n\n' +
    '  Runs ffmpeg and ffprobe -version and reports each binary: its path, where it was found\n' +
    '  (V2M_FFMPEG/V2M_FFPROBE override, ffmpeg-static, @ffmpeg-installer/@ffprobe-installer, PATH)\n' +
    '  and the version it prints. Exit code 1 when one of them is missing.\n\n' +
    '  --json   print machine-readable JSON on stdout',
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError('info takes no file');
    const info = await appInfo('direct', ctx.signal);
    const missing = !info.ffmpeg || !info.ffprobe;
    if (values.json) {
      const { transport: _transport, ...rest } = info;
      ctx.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
    } else {
      const tool = (t: ToolInfo | null) => (t ? `${t.version}  ${t.path}  (${t.origin})` : 'not found');
      const ort = info.onnxruntime;
      ctx.stdout.write(
        [
          `${info.appName} ${info.appVersion} (${info.platform})`,
          `  ffmpeg       ${tool(info.ffmpeg)}`,
          `  ffprobe      ${tool(info.ffprobe)}`,
          `  onnxruntime  ${ort.version ?? 'not found'}${ort.version ? (ort.cudaProvider ? ' (CUDA provider installed)' : ' (CPU; npm run gpu:cuda adds CUDA)') : ''}`,
          '',
        ].join('\n'),
      );
    }
    for (const p of info.problems) ctx.stderr.write(`v2m info: ${p}\n`);
    return missing ? 1 : 0;
  },
};
