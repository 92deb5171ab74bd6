import { open } from 'node:fs/promises';
import { checkMediaPath } from './input-check.ts';
import { abortError, isAbortError, MediaError } from './errors.ts';
import { runMedia } from './process.ts';
import { describeProbeFailure, parsePacketCsv, parseProbe, type FfprobeJson, type MediaInfo } from './probe-parse.ts';

export type { MediaInfo, VideoStreamInfo, AudioStreamInfo } from './probe-parse.ts';

/**
 * Describes a media file: container, duration, the first video stream (with the exact frame
 * count and VFR flag from a packet scan, which reads the index but decodes nothing) and the
 * audio streams.
 */
export async function probe(filePath: string, opts: { signal?: AbortSignal } = {}): Promise<MediaInfo> {
  if (opts.signal?.aborted) throw abortError(opts.signal);
  const size = await checkMediaPath(filePath);
  let json: FfprobeJson;
  try {
    const out = await runMedia(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', filePath],
      opts,
    );
    json = JSON.parse(out.toString('utf8')) as FfprobeJson;
  } catch (err) {
    if (isAbortError(err) || !(err instanceof MediaError) || err.code !== 'FFMPEG_FAILED') throw err;
    const { code, message } = describeProbeFailure(filePath, err.stderr ?? err.message, await readHead(filePath));
    throw new MediaError(code, message, { cause: err });
  }
  if (!json.format || !json.streams || json.streams.length === 0) {
    throw new MediaError('NOT_MEDIA', `${filePath} contains no audio or video streams.`);
  }
  const hasVideo = json.streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  let packets = null;
  if (hasVideo) {
    const out = await runMedia(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,dts,duration', '-of', 'csv=p=0', '-i', filePath],
      opts,
    );
    packets = parsePacketCsv(out.toString('utf8'));
  }
  return parseProbe(json, packets, filePath, size);
}

async function readHead(filePath: string): Promise<Uint8Array> {
  const fh = await open(filePath, 'r');
  try {
    const buf = new Uint8Array(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
