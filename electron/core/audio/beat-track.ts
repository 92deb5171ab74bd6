import { estimateTempo } from './tempo.ts';
import { hannSymmetric } from './window.ts';

const FLOAT32_TINY = 1.1754943508222875e-38;
const FLOAT64_TINY = 2.2250738585072014e-308;

export interface BeatTrackOptions {
  sampleRate: number;
  hopLength?: number;
  startBpm?: number;
  tightness?: number;
  trim?: boolean;
  /** Use this tempo instead of estimating it. */
  bpm?: number;
}

export interface BeatTrackResult {
  bpm: number;
  /** Beat frame indices. */
  beats: Int32Array;
}

/** numpy.round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const n = s.length;
  return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * librosa 0.11 beat.beat_track(onset_envelope=env) (SIGNALS §2.8): tempo estimate, Gaussian
 * local score, dynamic programme (nearest predecessor wins ties), last beat, frame-level trim.
 * Pass the median-aggregated envelope to match beat_track(y=…).
 */
export function beatTrack(env: Float32Array | Float64Array, o: BeatTrackOptions): BeatTrackResult {
  const hop = o.hopLength ?? 512;
  const sr = o.sampleRate;
  const tightness = o.tightness ?? 100;
  const n = env.length;
  let any = false;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(env[i]!)) throw new RangeError('beatTrack: the onset envelope has non-finite values.');
    if (env[i] !== 0) any = true;
  }
  if (!any) return { bpm: 0, beats: new Int32Array(0) };
  if (!(tightness > 0)) throw new RangeError(`tightness must be positive, got ${tightness}.`);
  const bpm = o.bpm ?? estimateTempo(env, { sampleRate: sr, hopLength: hop, startBpm: o.startBpm ?? 120 });
  if (!(bpm > 0) || !Number.isFinite(bpm)) throw new RangeError(`bpm must be a positive finite number, got ${bpm}.`);
  const fpb = roundHalfEven(((sr / hop) * 60) / bpm);
  if (fpb < 1) return { bpm, beats: new Int32Array(0) };

  // Normalise by the sample standard deviation (ddof = 1).
  let mean = 0;
  for (let i = 0; i < n; i++) mean += env[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (env[i]! - mean) ** 2;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const denom = std + (env instanceof Float32Array ? FLOAT32_TINY : FLOAT64_TINY);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = env[i]! / denom;

  // Local score: 0.11's "same" convolution with the loop bound min(i + K//2, K).
  const K = 2 * fpb + 1;
  const win = new Float64Array(K);
  for (let j = 0; j < K; j++) win[j] = Math.exp(-0.5 * (((j - fpb) * 32) / fpb) ** 2);
  const ls = new Float64Array(n);
  const h = K >> 1;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    const kEnd = Math.min(i + h, K);
    for (let k = Math.max(0, i + h - n + 1); k < kEnd; k++) acc += win[k]! * x[i + h - k]!;
    ls[i] = acc;
  }

  // Dynamic programme.
  let lsMax = -Infinity;
  for (let i = 0; i < n; i++) lsMax = Math.max(lsMax, ls[i]!);
  const thr = 0.01 * lsMax;
  const cum = new Float64Array(n);
  const back = new Int32Array(n);
  const lnFpb = Math.log(fpb);
  const near = roundHalfEven(fpb / 2);
  let first = true;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    let locB = -1;
    for (let loc = i - near; loc >= i - 2 * fpb; loc--) {
      if (loc < 0) break;
      const score = cum[loc]! - tightness * (Math.log(i - loc) - lnFpb) ** 2;
      if (score > best) {
        best = score;
        locB = loc;
      }
    }
    cum[i] = ls[i]! + (locB >= 0 ? best : 0);
    if (first && ls[i]! < thr) back[i] = -1;
    else {
      back[i] = locB;
      first = false;
    }
  }

  // Last beat: the last local max of cum that reaches half the median of local maxima.
  const isMax = (i: number): boolean =>
    i === 0 ? false : i === n - 1 ? cum[i]! > cum[i - 1]! : cum[i]! > cum[i - 1]! && cum[i]! >= cum[i + 1]!;
  const maxima: number[] = [];
  for (let i = 0; i < n; i++) if (n > 1 && isMax(i)) maxima.push(i);
  let tail = n - 1;
  if (maxima.length) {
    const th = 0.5 * median(Float64Array.from(maxima, (i) => cum[i]!));
    let found = -1;
    for (const i of maxima) if (cum[i]! >= th) found = i;
    if (found >= 0) tail = found;
  }
  const isBeat = new Uint8Array(n);
  for (let i = tail; i >= 0; i = back[i]!) isBeat[i] = 1;

  if (o.trim ?? true) {
    const beats: number[] = [];
    for (let i = 0; i < n; i++) if (isBeat[i]) beats.push(i);
    // sm = convolve(ls[beats], hanning(5))[2 : N + 2]: the slice end is past the full length.
    const w = hannSymmetric(5);
    const full = new Float64Array(beats.length + 4);
    for (let b = 0; b < beats.length; b++) for (let j = 0; j < 5; j++) full[b + j]! += ls[beats[b]!]! * w[j]!;
    const sm = full.subarray(2, Math.min(full.length, n + 2));
    let sq = 0;
    for (const v of sm) sq += v * v;
    const t = sm.length ? 0.5 * Math.sqrt(sq / sm.length) : 0;
    for (let i = 0; i < n && ls[i]! <= t; i++) isBeat[i] = 0;
    for (let i = n - 1; i >= 0 && ls[i]! <= t; i--) isBeat[i] = 0;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (isBeat[i]) out.push(i);
  return { bpm, beats: Int32Array.from(out) };
}
