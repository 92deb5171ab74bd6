import { MediaError } from './errors.ts';
import { analysisSize, coverSize, everyIntervalSelect, thumbnailWidth } from './frame-geometry.ts';
import { probe, type MediaInfo } from './probe.ts';
import { spawnMedia } from './process.ts';
import type { FfmpegProgress } from './progress.ts';
import { JpegSplitter, ShowinfoTimes } from './showinfo.ts';

export interface VideoFrame {
  /** 0-based index within this stream. */
  index: number;
  /** Presentation time of the source frame, seconds from the start of the file. */
  ptsSec: number;
  width: number;
  height: number;
  /** Packed 8-bit pixels, `channels` bytes per pixel, rows top to bottom. */
  data: Uint8Array;
}

export interface JpegFrame {
  index: number;
  ptsSec: number;
  width: number;
  height: number;
  jpeg: Uint8Array;
}

export type PixelFormat = 'rgb24' | 'bgr24' | 'gray';

export interface StreamOptions {
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  /** Decoder complaints (corrupt or truncated data): the stream goes on with what decodes. */
  onWarning?: (message: string) => void;
  /** Pass a probe result to skip probing again. */
  info?: MediaInfo;
}

const BYTES_PER_PIXEL: Record<PixelFormat, number> = { rgb24: 3, bgr24: 3, gray: 1 };
const DECODE_WARNING = /error|invalid|corrupt|partial file|truncat|missing/i;

async function videoInfo(filePath: string, opts: StreamOptions): Promise<MediaInfo> {
  const info = opts.info ?? (await probe(filePath, opts));
  if (!info.video) throw new MediaError('NO_VIDEO', `${filePath} has no video stream (it looks like an audio-only file).`);
  return info;
}

interface RawSpec {
  /** Filters after decoding (and ffmpeg's auto-rotation), before pixel-format conversion. */
  filters: string[];
  width: number;
  height: number;
  pixFmt: PixelFormat;
}

/**
 * Decodes a video stream to raw frames with their exact presentation times. Timestamps come
 * from the `showinfo` filter at the end of the chain (so they are the source frames' own), and
 * `-vsync passthrough` stops ffmpeg from duplicating or dropping frames of VFR video.
 * Memory is bounded by the pipe: ffmpeg blocks while the consumer is busy.
 */
async function* rawFrames(filePath: string, info: MediaInfo, spec: RawSpec, opts: StreamOptions): AsyncGenerator<VideoFrame> {
  const frameSize = spec.width * spec.height * BYTES_PER_PIXEL[spec.pixFmt];
  const vf = [...spec.filters, `format=${spec.pixFmt}`, 'showinfo'].join(',');
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-progress', 'pipe:3',
    '-i', filePath,
    '-map', `0:${info.video!.index}`,
    '-an', '-sn', '-dn',
    '-vf', vf,
    '-vsync', 'passthrough',
    '-f', 'rawvideo', '-pix_fmt', spec.pixFmt,
    'pipe:1',
  ];
  yield* framesFromProcess(args, info, opts, frameSize, (data, index, ptsSec) => ({
    index, ptsSec, width: spec.width, height: spec.height, data,
  }));
}

type Assemble<T> = (data: Uint8Array, index: number, ptsSec: number) => T;

async function* framesFromProcess<T>(
  args: string[],
  info: MediaInfo,
  opts: StreamOptions,
  frameSize: number | 'jpeg',
  assemble: Assemble<T>,
): AsyncGenerator<T> {
  const ptsQueue: number[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const times = new ShowinfoTimes();
  const proc = spawnMedia('ffmpeg', args, {
    signal: opts.signal,
    onProgress: opts.onProgress ?? (() => undefined),
    durationSec: info.durationSec,
    onStderrLine: (line) => {
      const t = times.line(line);
      if (t !== undefined) {
        ptsQueue.push(t);
        wake?.();
      } else if (opts.onWarning && !line.includes('Parsed_showinfo') && DECODE_WARNING.test(line) && !line.startsWith('  ')) {
        opts.onWarning(line.replace(/^\[[^\]]*\]\s*/, ''));
      }
    },
  });
  void proc.done.finally(() => {
    ended = true;
    wake?.();
  }).catch(() => undefined);

  const nextPts = async (): Promise<number> => {
    while (ptsQueue.length === 0) {
      if (ended) throw new MediaError('FFMPEG_FAILED', 'ffmpeg produced a frame without a timestamp');
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
    return ptsQueue.shift()!;
  };

  let index = 0;
  try {
    if (frameSize === 'jpeg') {
      const splitter = new JpegSplitter();
      for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
        for (const jpeg of splitter.push(chunk)) yield assemble(jpeg, index++, await nextPts());
      }
    } else {
      let buf = Buffer.allocUnsafe(frameSize);
      let filled = 0;
      for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
        let off = 0;
        while (off < chunk.length) {
          const n = Math.min(frameSize - filled, chunk.length - off);
          chunk.copy(buf, filled, off, off + n);
          filled += n;
          off += n;
          if (filled === frameSize) {
            const data = new Uint8Array(buf.buffer, buf.byteOffset, frameSize);
            yield assemble(data, index++, await nextPts());
            buf = Buffer.allocUnsafe(frameSize);
            filled = 0;
          }
        }
      }
    }
    await proc.done;
  } finally {
    // Reached on completion, error, abort, or the consumer leaving the loop early.
    proc.kill();
    await proc.done.catch(() => undefined);
  }
}

export interface AnalysisStreamOptions extends StreamOptions {
  pixFmt?: PixelFormat;
  /**
   * `true` (default): ffmpeg scales so the longer side is 256 (PySceneDetect's size).
   * `false`: frames at display resolution, for callers that resample themselves.
   */
  downscale?: boolean;
}

/** Every frame, longer side 256 px (or full size), 8-bit RGB by default. */
export async function* analysisFrames(filePath: string, opts: AnalysisStreamOptions = {}): AsyncGenerator<VideoFrame> {
  const info = await videoInfo(filePath, opts);
  const v = info.video!;
  const size = opts.downscale === false ? { width: v.displayWidth, height: v.displayHeight } : analysisSize(v.displayWidth, v.displayHeight);
  const scaled = size.width !== v.displayWidth || size.height !== v.displayHeight;
  yield* rawFrames(filePath, info, {
    filters: scaled ? [`scale=${size.width}:${size.height}:flags=bilinear`] : [],
    width: size.width,
    height: size.height,
    pixFmt: opts.pixFmt ?? 'rgb24',
  }, opts);
}

export interface SamplingStreamOptions extends StreamOptions {
  /** Output side, default 224. */
  size?: number;
  /** Seconds between samples, default 1. */
  intervalSec?: number;
}

/**
 * The first frame of each second, scaled (bicubic) so the shorter side is 224 and centre-cropped
 * to 224×224 — the framing CLIP sees. Times are the sampled source frames' own.
 */
export async function* samplingFrames(filePath: string, opts: SamplingStreamOptions = {}): AsyncGenerator<VideoFrame> {
  const info = await videoInfo(filePath, opts);
  const v = info.video!;
  const side = opts.size ?? 224;
  const cover = coverSize(v.displayWidth, v.displayHeight, side);
  yield* rawFrames(filePath, info, {
    filters: [
      everyIntervalSelect(opts.intervalSec ?? 1),
      `scale=${cover.width}:${cover.height}:flags=bicubic`,
      `crop=${side}:${side}`,
    ],
    width: side,
    height: side,
    pixFmt: 'rgb24',
  }, opts);
}

export interface ThumbnailOptions extends StreamOptions {
  intervalSec: number;
  height: number;
  /** JPEG quality scale of ffmpeg's mjpeg encoder, 2 (best) … 31. */
  quality?: number;
}

/** JPEG thumbnails: the first frame of each interval, at the given height. */
export async function* thumbnails(filePath: string, opts: ThumbnailOptions): AsyncGenerator<JpegFrame> {
  if (!(opts.intervalSec > 0)) throw new RangeError('Thumbnail interval must be a positive number of seconds.');
  if (!(opts.height >= 8 && opts.height <= 2160)) throw new RangeError('Thumbnail height must be between 8 and 2160 pixels.');
  const info = await videoInfo(filePath, opts);
  const v = info.video!;
  const height = Math.round(opts.height);
  const width = thumbnailWidth(v.displayWidth, v.displayHeight, height);
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-progress', 'pipe:3',
    '-i', filePath,
    '-map', `0:${v.index}`, '-an', '-sn', '-dn',
    '-vf', [everyIntervalSelect(opts.intervalSec), `scale=${width}:${height}:flags=bicubic`, 'showinfo'].join(','),
    '-vsync', 'passthrough',
    '-f', 'image2pipe', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', String(opts.quality ?? 5),
    'pipe:1',
  ];
  yield* framesFromProcess(args, info, opts, 'jpeg', (jpeg, index, ptsSec) => ({ index, ptsSec, width, height, jpeg }));
}
