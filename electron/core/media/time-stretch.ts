import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveBinary } from './binaries.ts';
import { spawnMedia, runMedia } from './process.ts';

export type StretchEngine = 'rubberband' | 'atempo';

const engines = new Map<string, Promise<StretchEngine>>();

/** rubberband (a phase vocoder with transient handling) when this ffmpeg has it, else ffmpeg's own atempo (WSOLA). */
export function stretchEngine(signal?: AbortSignal): Promise<StretchEngine> {
  const bin = resolveBinary('ffmpeg').path;
  let e = engines.get(bin);
  if (!e) {
    e = runMedia('ffmpeg', ['-hide_banner', '-filters'], { signal }).then((out) => (/^\s*\S+\s+rubberband\s/m.test(out.toString('utf8')) ? 'rubberband' : 'atempo'));
    e.catch(() => engines.delete(bin));
    engines.set(bin, e);
  }
  return e;
}

/** The filter for a length factor (output duration / input duration). */
export function stretchFilter(engine: StretchEngine, lengthFactor: number): string {
  const tempo = 1 / lengthFactor;
  return engine === 'rubberband' ? `rubberband=tempo=${tempo.toFixed(6)}:channels=together:transients=crisp` : `atempo=${tempo.toFixed(6)}`;
}

export interface StretchOptions {
  sampleRate: number;
  channels: number;
  /** Output duration / input duration; pitch is kept. */
  lengthFactor: number;
  /** atempo is ~15× cheaper; rubberband is cleaner on bigger factors. Falls back to atempo where rubberband is missing. */
  engine?: StretchEngine;
  signal?: AbortSignal;
}

/**
 * Pitch-preserving time stretch of interleaved float PCM through ffmpeg. The PCM goes through a
 * temporary raw file (ffmpeg's stdin is not ours to write), the result comes back on stdout.
 * Only small nudges are meant: the factor must lie within 0.5..2 (atempo's single-stage range).
 */
export async function timeStretch(pcm: Float32Array, o: StretchOptions): Promise<{ samples: Float32Array; engine: StretchEngine }> {
  if (!(o.lengthFactor >= 0.5 && o.lengthFactor <= 2)) throw new RangeError(`The stretch factor must lie within 0.5..2, got ${o.lengthFactor}.`);
  const available = await stretchEngine(o.signal);
  const engine = o.engine === 'atempo' ? 'atempo' : available;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-stretch-'));
  try {
    const raw = path.join(dir, 'in.f32');
    writeFileSync(raw, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    const proc = spawnMedia('ffmpeg', [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
      '-f', 'f32le', '-ar', String(o.sampleRate), '-ac', String(o.channels), '-i', raw,
      '-af', stretchFilter(engine, o.lengthFactor),
      '-f', 'f32le', '-c:a', 'pcm_f32le', 'pipe:1',
    ], { signal: o.signal });
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    await proc.done;
    const bytes = Buffer.concat(chunks);
    const whole = Math.floor(bytes.length / (4 * o.channels)) * o.channels;
    const samples = new Float32Array(whole);
    new Uint8Array(samples.buffer).set(bytes.subarray(0, whole * 4));
    return { samples, engine };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
