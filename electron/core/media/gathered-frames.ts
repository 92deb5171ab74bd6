import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MediaError } from './errors.ts';
import { everyIntervalSelect } from './frame-geometry.ts';
import { CONVERSION_SCALER, decodeArgs, fixedSizeSplitter, framesFromProcess, rawVideoOutput, thumbnailPipe, type SidePipe, type SideThumbnails, type StreamOptions, type VideoFrame } from './frames.ts';
import { probe, type MediaInfo } from './probe.ts';

/** Source columns and rows (ascending, display coordinates) to deliver of every frame. */
export interface PixelGrid {
  cols: Int32Array;
  rows: Int32Array;
}

/** The first frame of each interval as its full-resolution centre square, BGR, beside the gathered stream. */
export interface CentreSquareSamples {
  intervalSec: number;
  /** Called in presentation order; a frame a second, so not back-pressured. */
  onSample: (frame: VideoFrame) => void;
}

export interface GatheredStreamOptions extends StreamOptions {
  /** The pixels wanted of each frame; null for whole frames. */
  grid: PixelGrid | null;
  /** A folder of the caller's (a scratch folder) for the two small map images `remap` reads. */
  workDir: string;
  thumbnails?: SideThumbnails;
  samples?: CentreSquareSamples;
}

/** A 16-bit binary PGM whose every row is `row(y)` of `width` values: what `remap` takes as a map. */
function writeMap(file: string, width: number, height: number, value: (x: number, y: number) => number): void {
  const header = Buffer.from(`P5\n${width} ${height}\n65535\n`, 'ascii');
  const body = Buffer.allocUnsafe(width * height * 2);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 2) body.writeUInt16BE(value(x, y), o);
  }
  writeFileSync(file, Buffer.concat([header, body]));
}

function checkGrid(grid: PixelGrid, width: number, height: number): void {
  const check = (list: Int32Array, extent: number, name: string) => {
    if (list.length === 0 || list.length > extent) throw new RangeError(`Pixel grid: ${list.length} ${name} for a picture ${extent} wide.`);
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      if (!(v >= 0 && v < extent) || (i > 0 && v <= list[i - 1]!)) throw new RangeError(`Pixel grid: ${name} must ascend within 0…${extent - 1}; got ${v} at ${i}.`);
    }
  };
  check(grid.cols, width, 'columns');
  check(grid.rows, height, 'rows');
}

/**
 * Every frame of the video converted to BGR exactly as a full-size decode would be, but only the
 * grid's pixels piped out: ffmpeg's `remap` copies them (nearest, no filtering), so a caller that
 * reads only some pixels of each frame — an OpenCV-exact downscale reads 1/25 of a 720p frame —
 * does not push whole pictures through the pipe. Optional side outputs of the same decode: the
 * 1-fps centre squares at full resolution (colour features) and filmstrip JPEGs.
 */
export async function* gatheredFrames(filePath: string, opts: GatheredStreamOptions): AsyncGenerator<VideoFrame> {
  const info: MediaInfo = opts.info ?? (await probe(filePath, opts));
  const v = info.video;
  if (!v) throw new MediaError('NO_VIDEO', `${filePath} has no video stream (it looks like an audio-only file).`);
  const W = v.displayWidth;
  const H = v.displayHeight;
  const { grid } = opts;
  if (grid) checkGrid(grid, W, H);
  if (W > 65535 || H > 65535) throw new MediaError('NOT_MEDIA', `${filePath}: a ${W}×${H} picture is larger than the analysis can address.`);
  const outW = grid ? grid.cols.length : W;
  const outH = grid ? grid.rows.length : H;
  const remap = grid !== null && (outW < W || outH < H);

  const extraInputs: string[] = [];
  if (remap) {
    const xmap = path.join(opts.workDir, 'remap-x.pgm');
    const ymap = path.join(opts.workDir, 'remap-y.pgm');
    writeMap(xmap, outW, outH, (x) => grid.cols[x]!);
    writeMap(ymap, outW, outH, (_x, y) => grid.rows[y]!);
    // pattern_type none: a '%' in the folder's path is not an image-sequence pattern.
    extraInputs.push('-f', 'image2', '-pattern_type', 'none', '-i', xmap, '-f', 'image2', '-pattern_type', 'none', '-i', ymap);
  }

  const sides: SidePipe[] = [];
  const chains: string[] = [];
  const converted = opts.samples ? ['[bgr]split=2[g][s]'] : [];
  const gatherIn = opts.samples ? '[g]' : '[bgr]';
  chains.push(`${opts.thumbnails ? '[yuv]' : `[0:${v.index}]`}${CONVERSION_SCALER},format=bgr24[bgr]`, ...converted);
  chains.push(remap ? `${gatherIn}[1:v][2:v]remap,showinfo@frames[frames]` : `${gatherIn}showinfo@frames[frames]`);
  const outputs = ['-map', '[frames]', ...rawVideoOutput('bgr24')];
  if (opts.samples) {
    if (!(opts.samples.intervalSec > 0)) throw new RangeError('Sample interval must be a positive number of seconds.');
    const side = Math.min(W, H);
    const x0 = Math.floor((W - side) / 2);
    const y0 = Math.floor((H - side) / 2);
    const onSample = opts.samples.onSample;
    const samplePipe: SidePipe = {
      label: 'samples',
      filters: `${everyIntervalSelect(opts.samples.intervalSec)},crop=${side}:${side}:${x0}:${y0},showinfo@samples`,
      output: (target) => ['-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'bgr24', target],
      splitter: () => fixedSizeSplitter(side * side * 3),
      deliver: (data, index, ptsSec) => onSample({ index, ptsSec, width: side, height: side, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }),
    };
    sides.push(samplePipe);
    chains.push(`[s]${samplePipe.filters}[samples]`);
  }
  if (opts.thumbnails) {
    const thumbs = thumbnailPipe(W, H, opts.thumbnails);
    sides.push(thumbs);
    chains.unshift(`[0:${v.index}]split=2[yuv][t]`);
    chains.push(`[t]${thumbs.filters}[${thumbs.label}]`);
  }
  sides.forEach((s, i) => outputs.push('-map', `[${s.label}]`, ...s.output(`pipe:${4 + i}`)));

  yield* framesFromProcess(
    decodeArgs(filePath, extraInputs, ['-filter_complex', chains.join(';'), ...outputs]),
    info, opts, outW * outH * 3,
    (data, index, ptsSec) => ({ index, ptsSec, width: outW, height: outH, data }),
    sides,
  );
}
