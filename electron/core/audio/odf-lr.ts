import { findPeaksProminence } from './find-peaks.ts';

export interface OdfLrOptions {
  sampleRate?: number;
  hopLength?: number;
  /** Number of audio samples the envelope came from (sets the number of seconds). */
  samples: number;
  /** Diff-V2M drops the first second when a clip is longer than 30 s; off unless asked. */
  crop30?: boolean;
}

export interface OdfLrResult {
  /** One value per second (the max z-scored peak that rounds to that second, or 0). */
  values: Float32Array;
  /** The z-scored envelope, its find_peaks peaks and their prominences. */
  z: Float32Array;
  peaks: Int32Array;
  prominences: Float64Array;
}

/**
 * Diff-V2M's low-resolution ODF (SIGNALS §2.10) from a librosa onset envelope computed at
 * 44.1 kHz, hop 512: z-score (population std + 1e-6, float32), find_peaks(prominence=0.05),
 * each peak's value kept as the max of its nearest whole second (negative peaks lose to 0).
 */
export function odfLR(env: Float32Array, o: OdfLrOptions): OdfLrResult {
  const sr = o.sampleRate ?? 44100;
  const hop = o.hopLength ?? 512;
  const n = env.length;
  if (!Number.isInteger(o.samples) || o.samples < 0) throw new RangeError(`samples must be a non-negative integer, got ${o.samples}.`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += env[i]!;
  mean = n ? Math.fround(mean / n) : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (env[i]! - mean) ** 2;
  const std = Math.fround(Math.fround(n ? Math.sqrt(ss / n) : NaN) + Math.fround(1e-6));
  const z = new Float32Array(n);
  for (let i = 0; i < n; i++) z[i] = Math.fround(Math.fround(env[i]! - mean) / std);
  const { peaks, prominences } = findPeaksProminence(z, 0.05);
  const seconds = Math.ceil(o.samples / sr);
  let values = new Float32Array(seconds);
  for (const p of peaks) {
    // Python round(): half to even. t = p·hop/sr never lands on .5 at 44.1 kHz / 512, but be exact anyway.
    const t = (p * hop) / sr;
    let s = Math.round(t);
    if (Math.abs(t % 1) === 0.5 && s % 2 !== 0) s -= 1;
    if (s < seconds) values[s] = Math.max(values[s]!, z[p]!);
  }
  if (o.crop30 && values.length > 30) values = values.slice(1);
  return { values, z, peaks, prominences };
}
