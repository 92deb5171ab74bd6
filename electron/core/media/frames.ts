import { MediaError } from './errors.ts';
import { analysisSize, coverSize, everyIntervalSelect, thumbnailWidth } from './frame-geometry.ts';
import { probe, type MediaInfo } from './probe.ts';
import { spawnMedia } from './process.ts';
import type { FfmpegProgress } from './progress.ts';
import { isShowinfoLine, JpegSplitter, ShowinfoTimes } from './showinfo.ts';

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
 * The scaler that converts decoded pictures to RGB/BGR at their own size. ffmpeg gives a `-vf`
 * chain's automatic converter `flags=bicubic` (as OpenCV's sws_scale call does), but a
 * `-filter_complex` one the scale filter's default (bilinear): for even sizes both take swscale's
 * unscaled path and agree, for an odd width they do not. Named, every graph converts alike.
 */
export const CONVERSION_SCALER = 'scale=flags=bicubic';

/**
 * Decodes a video stream to raw frames with their exact presentation times. Timestamps come
 * from the `showinfo` filter at the end of the chain (so they are the source frames' own), and
 * `-vsync passthrough` stops ffmpeg from duplicating or dropping frames of VFR video.
 * Memory is bounded by the pipe: ffmpeg blocks while the consumer is busy.
 */
async function* rawFrames(
  filePath: string,
  info: MediaInfo,
  spec: RawSpec,
  opts: StreamOptions,
  side?: SideThumbnails,
): AsyncGenerator<VideoFrame> {
  const v = info.video!;
  const frameSize = spec.width * spec.height * BYTES_PER_PIXEL[spec.pixFmt];
  // Unless a filter already scales (and so converts), convert with named flags, -vf or filter_complex alike.
  const convert = spec.filters.length === 0 ? [CONVERSION_SCALER] : [];
  const main = [...spec.filters, ...convert, `format=${spec.pixFmt}`, 'showinfo@frames'].join(',');
  let graph: string[];
  const sides: SidePipe[] = [];
  if (!side) graph = ['-map', `0:${v.index}`, '-vf', main, ...rawVideoOutput(spec.pixFmt)];
  else {
    // One decode, split inside ffmpeg: raw frames on stdout, JPEG thumbnails on fd 4.
    const thumbs = thumbnailPipe(v.displayWidth, v.displayHeight, side);
    sides.push(thumbs);
    graph = [
      '-filter_complex', `[0:${v.index}]split=2[main][side];[main]${main}[frames];[side]${thumbs.filters}[${thumbs.label}]`,
      '-map', '[frames]', ...rawVideoOutput(spec.pixFmt),
      '-map', `[${thumbs.label}]`, ...thumbs.output('pipe:4'),
    ];
  }
  yield* framesFromProcess(
    decodeArgs(filePath, [], graph), info, opts, frameSize,
    (data, index, ptsSec) => ({ index, ptsSec, width: spec.width, height: spec.height, data }),
    sides,
  );
}

/** ffmpeg's arguments for decoding `filePath` (plus `extraInputs`) through `graph`. */
export function decodeArgs(filePath: string, extraInputs: string[], graph: string[]): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-progress', 'pipe:3',
    '-i', filePath,
    ...extraInputs,
    '-an', '-sn', '-dn',
    ...graph,
  ];
}

/** Raw frames of the main chain on stdout, one per source frame. */
export function rawVideoOutput(pixFmt: PixelFormat): string[] {
  return ['-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', pixFmt, 'pipe:1'];
}

/** Thumbnails produced alongside another stream from the same decode. */
export interface SideThumbnails {
  intervalSec: number;
  height: number;
  quality?: number;
  /** Called in presentation order as tiles arrive; tiles are small, so they are not back-pressured. */
  onThumbnail: (t: JpegFrame) => void;
}

/**
 * A second output of the same decode on its own pipe (fd 4, 5, … in list order): its chain ends
 * in `showinfo@<label>`, its bytes are cut into items, and each item is delivered with its time.
 * Side outputs are small (a frame a second or so), so they are not back-pressured.
 */
export interface SidePipe {
  label: string;
  /** The chain from the split to the output, ending in `showinfo@<label>`. */
  filters: string;
  output: (target: string) => string[];
  /** A fresh cutter of the pipe's bytes into whole items. */
  splitter: () => (chunk: Buffer) => Buffer[];
  deliver: (data: Buffer, index: number, ptsSec: number) => void;
}

interface ThumbnailGeometry {
  width: number;
  height: number;
  filters: string;
}

function thumbnailGeometry(displayWidth: number, displayHeight: number, t: { intervalSec: number; height: number }, label: string): ThumbnailGeometry {
  if (!(t.intervalSec > 0)) throw new RangeError('Thumbnail interval must be a positive number of seconds.');
  if (!(t.height >= 8 && t.height <= 2160)) throw new RangeError(`Thumbnail height must be a whole number of pixels from 8 to 2160, got ${t.height}.`);
  const height = Math.round(t.height);
  const width = thumbnailWidth(displayWidth, displayHeight, height);
  return { width, height, filters: [everyIntervalSelect(t.intervalSec), `scale=${width}:${height}:flags=bicubic`, `showinfo@${label}`].join(',') };
}

function jpegOutput(quality: number | undefined): (target: string) => string[] {
  return (target) => ['-vsync', 'passthrough', '-f', 'image2pipe', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', String(quality ?? 5), target];
}

/** The filmstrip tiles as a side pipe of another decode. */
export function thumbnailPipe(displayWidth: number, displayHeight: number, t: SideThumbnails): SidePipe {
  const g = thumbnailGeometry(displayWidth, displayHeight, t, 'thumbs');
  return {
    label: 'thumbs',
    filters: g.filters,
    output: jpegOutput(t.quality),
    splitter: () => {
      const s = new JpegSplitter();
      return (chunk) => s.push(chunk);
    },
    deliver: (jpeg, index, ptsSec) => t.onThumbnail({ index, ptsSec, width: g.width, height: g.height, jpeg }),
  };
}

/** Cuts a byte stream into items of one fixed size (raw frames of a side pipe). */
export function fixedSizeSplitter(size: number): (chunk: Buffer) => Buffer[] {
  let buf = Buffer.allocUnsafe(size);
  let filled = 0;
  return (chunk) => {
    const out: Buffer[] = [];
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(size - filled, chunk.length - off);
      chunk.copy(buf, filled, off, off + n);
      filled += n;
      off += n;
      if (filled === size) {
        out.push(buf);
        buf = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
    return out;
  };
}

type Assemble<T> = (data: Uint8Array, index: number, ptsSec: number) => T;

interface SideState {
  pipe: SidePipe;
  times: ShowinfoTimes;
  pts: number[];
  items: Buffer[];
  index: number;
}

export async function* framesFromProcess<T>(
  args: string[],
  info: MediaInfo,
  opts: StreamOptions,
  frameSize: number | 'jpeg',
  assemble: Assemble<T>,
  sidePipes: SidePipe[] = [],
): AsyncGenerator<T> {
  const ptsQueue: number[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const times = new ShowinfoTimes('frames');
  const sides: SideState[] = sidePipes.map((pipe) => ({ pipe, times: new ShowinfoTimes(pipe.label), pts: [], items: [], index: 0 }));
  let sideError: unknown;
  // A side item is complete when both its bytes (its pipe) and its time (stderr) have arrived.
  const flushSide = (s: SideState): void => {
    while (s.pts.length > 0 && s.items.length > 0 && sideError === undefined) {
      try {
        s.pipe.deliver(s.items.shift()!, s.index++, s.pts.shift()!);
      } catch (err) {
        sideError = err;
        wake?.();
      }
    }
  };
  const proc = spawnMedia('ffmpeg', args, {
    signal: opts.signal,
    onProgress: opts.onProgress ?? (() => undefined),
    durationSec: info.durationSec,
    extraOutputs: sides.length,
    onStderrLine: (line) => {
      const t = times.line(line);
      if (t !== undefined) {
        ptsQueue.push(t);
        wake?.();
        return;
      }
      for (const s of sides) {
        const ts = s.times.line(line);
        if (ts !== undefined) {
          s.pts.push(ts);
          flushSide(s);
          return;
        }
      }
      if (opts.onWarning && !isShowinfoLine(line) && DECODE_WARNING.test(line) && !line.startsWith('  ')) {
        opts.onWarning(line.replace(/^\[[^\]]*\]\s*/, ''));
      }
    },
  });
  sides.forEach((s, i) => {
    const split = s.pipe.splitter();
    proc.extra[i]!.on('data', (chunk: Buffer) => {
      s.items.push(...split(chunk));
      flushSide(s);
    });
  });
  void proc.done.finally(() => {
    ended = true;
    wake?.();
  }).catch(() => undefined);

  const nextPts = async (): Promise<number> => {
    while (ptsQueue.length === 0) {
      if (sideError !== undefined) throw sideError;
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
      const split = fixedSizeSplitter(frameSize);
      for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
        for (const frame of split(chunk)) {
          yield assemble(new Uint8Array(frame.buffer, frame.byteOffset, frameSize), index++, await nextPts());
          if (sideError !== undefined) throw sideError;
        }
      }
    }
    await proc.done;
    for (const side of sides) flushSide(side);
    if (sideError !== undefined) throw sideError;
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
  /** Also make filmstrip tiles from the same decode (no second pass over the video). */
  thumbnails?: SideThumbnails;
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
  }, opts, opts.thumbnails);
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
  thumbnailGeometry(1, 1, opts, 'frames'); // validate before probing
  const info = await videoInfo(filePath, opts);
  const v = info.video!;
  const spec = thumbnailGeometry(v.displayWidth, v.displayHeight, opts, 'frames');
  const args = decodeArgs(filePath, [], ['-map', `0:${v.index}`, '-vf', spec.filters, ...jpegOutput(opts.quality)('pipe:1')]);
  yield* framesFromProcess(args, info, opts, 'jpeg', (jpeg, index, ptsSec) => ({ index, ptsSec, width: spec.width, height: spec.height, jpeg }));
}
