import { audioChunks, probe, type MediaInfo } from '../media/index.ts';

export interface MonoDecodeOptions {
  sampleRate: number;
  /** 'soxr' (default) is closest to librosa.load's resampler. */
  resampler?: 'swr' | 'soxr';
  signal?: AbortSignal;
  /** 0..1 of the media duration decoded so far. */
  onProgress?: (fraction: number) => void;
  info?: MediaInfo;
}

/** ffmpeg can hand us at most this many channels unremixed (media/audio.ts limit). */
const MAX_NATIVE_CHANNELS = 8;

/**
 * Streams the first audio stream as mono at `sampleRate`: every channel decoded as is and
 * averaged with equal weights, as librosa.load(mono=True) and Diff-V2M's loader do
 * (ffmpeg's own downmix would weight a 5.1 centre and drop the LFE).
 */
export async function* monoChunks(filePath: string, o: MonoDecodeOptions): AsyncGenerator<Float32Array> {
  const info = o.info ?? (await probe(filePath, { signal: o.signal }));
  const channels = info.audio ? Math.min(Math.max(1, info.audio.channels), MAX_NATIVE_CHANNELS) : 1;
  const chunks = audioChunks(filePath, {
    sampleRate: o.sampleRate,
    channels,
    resampler: o.resampler ?? 'soxr',
    info,
    signal: o.signal,
    onProgress: o.onProgress ? (p) => p.fraction !== undefined && o.onProgress!(p.fraction) : undefined,
  });
  for await (const c of chunks) {
    if (channels === 1) {
      yield c;
      continue;
    }
    const n = c.length / channels;
    const mono = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let ch = 0; ch < channels; ch++) s += c[i * channels + ch]!;
      mono[i] = s / channels;
    }
    yield mono;
  }
}

/** Whole file as mono PCM (for short clips; long ones should stream through `monoChunks`). */
export async function decodeMono(filePath: string, o: MonoDecodeOptions): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const c of monoChunks(filePath, o)) {
    parts.push(c);
    total += c.length;
  }
  const out = new Float32Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
