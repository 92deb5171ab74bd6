import { MediaError } from './errors.ts';
import { probe, type MediaInfo } from './probe.ts';
import { spawnMedia } from './process.ts';
import type { FfmpegProgress } from './progress.ts';

export interface AudioDecodeOptions {
  sampleRate: number;
  channels: number;
  /** Which audio stream (0-based among audio streams); default the first. */
  stream?: number;
  /** Sample frames per yielded chunk (the last may be shorter); default 65536. */
  chunkFrames?: number;
  /** `soxr` is closer to librosa's default resampler; `swr` is ffmpeg's own. */
  resampler?: 'swr' | 'soxr';
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  info?: MediaInfo;
}

export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved float samples, nominally −1..1. */
  samples: Float32Array;
  /** Sample frames (samples.length / channels). */
  frames: number;
}

function validate(opts: AudioDecodeOptions): void {
  if (!Number.isInteger(opts.sampleRate) || opts.sampleRate < 1000 || opts.sampleRate > 384000) {
    throw new RangeError(`Sample rate must be a whole number of Hz from 1000 to 384000, got ${opts.sampleRate}.`);
  }
  if (!Number.isInteger(opts.channels) || opts.channels < 1 || opts.channels > 8) {
    throw new RangeError(`Channel count must be an integer from 1 to 8, got ${opts.channels}.`);
  }
}

/** Starts ffmpeg decoding the stream to interleaved f32le on its stdout, resampled and remixed. */
async function startDecoder(filePath: string, opts: AudioDecodeOptions) {
  validate(opts);
  const info = opts.info ?? (await probe(filePath, { signal: opts.signal }));
  const stream = info.audioStreams[opts.stream ?? 0];
  if (!stream) {
    throw new MediaError('NO_AUDIO', opts.stream ? `${filePath} has no audio stream number ${opts.stream}.` : `${filePath} has no audio stream.`);
  }
  const af = [`aresample=${opts.sampleRate}${opts.resampler === 'soxr' ? ':resampler=soxr' : ''}`];
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    '-progress', 'pipe:3',
    '-i', filePath,
    '-map', `0:${stream.index}`, '-vn', '-sn', '-dn',
    '-af', af.join(','),
    '-ac', String(opts.channels),
    '-f', 'f32le', '-c:a', 'pcm_f32le',
    'pipe:1',
  ];
  const proc = spawnMedia('ffmpeg', args, {
    signal: opts.signal,
    onProgress: opts.onProgress ?? (() => undefined),
    durationSec: info.durationSec,
  });
  return { proc, durationSec: info.durationSec };
}

/**
 * Streams decoded audio as interleaved Float32 chunks, resampled and remixed by ffmpeg.
 * Each chunk holds whole sample frames; memory stays at one chunk plus the pipe buffer.
 */
export async function* audioChunks(filePath: string, opts: AudioDecodeOptions): AsyncGenerator<Float32Array> {
  const { proc } = await startDecoder(filePath, opts);
  const chunkSamples = (opts.chunkFrames ?? 65536) * opts.channels;
  let chunk = new Float32Array(chunkSamples);
  let bytes = new Uint8Array(chunk.buffer);
  let filled = 0; // bytes
  try {
    for await (const data of proc.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < data.length) {
        const n = Math.min(bytes.length - filled, data.length - off);
        bytes.set(data.subarray(off, off + n), filled);
        filled += n;
        off += n;
        if (filled === bytes.length) {
          yield chunk;
          chunk = new Float32Array(chunkSamples);
          bytes = new Uint8Array(chunk.buffer);
          filled = 0;
        }
      }
    }
    await proc.done;
    const whole = Math.floor(filled / (4 * opts.channels)) * opts.channels;
    if (whole > 0) yield chunk.slice(0, whole);
  } finally {
    proc.kill();
    await proc.done.catch(() => undefined);
  }
}

/**
 * Decodes a whole audio stream into memory. For long files prefer `audioChunks`. The pipe is
 * copied straight into one buffer sized from the probed duration (grown if the stream runs
 * longer): no chunk arrays and no final concatenation, whose fresh pages cost more than the copy.
 * The samples may be a view on a slightly larger buffer.
 */
export async function decodeAudio(filePath: string, opts: AudioDecodeOptions): Promise<PcmAudio> {
  const { proc, durationSec } = await startDecoder(filePath, opts);
  const ch = opts.channels;
  const expected = Number.isFinite(durationSec) && durationSec > 0 ? durationSec + 0.5 : 10;
  let bytes = new Uint8Array(Math.ceil(expected * opts.sampleRate) * ch * 4);
  let filled = 0;
  try {
    for await (const data of proc.stdout as AsyncIterable<Buffer>) {
      if (filled + data.length > bytes.length) {
        const grown = new Uint8Array(Math.max(filled + data.length, Math.ceil(bytes.length * 1.5)));
        grown.set(bytes.subarray(0, filled));
        bytes = grown;
      }
      bytes.set(data, filled);
      filled += data.length;
    }
    await proc.done;
  } finally {
    proc.kill();
    await proc.done.catch(() => undefined);
  }
  const total = Math.floor(filled / (4 * ch)) * ch;
  return { sampleRate: opts.sampleRate, channels: ch, samples: new Float32Array(bytes.buffer, 0, total), frames: total / ch };
}
