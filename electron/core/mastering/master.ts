import { LimiterGain } from './limiter.ts';
import { LoudnessMeter, TruePeakMeter, toDb } from './loudness-meter.ts';
import type { StereoSource } from './stereo-source.ts';
import { WavWriter } from './wav-writer.ts';

/** Streaming target of every generator: −14 LUFS integrated (BS.1770-4), true peak ≤ −1 dBTP. */
export const DEFAULT_TARGET_LUFS = -14;
export const DEFAULT_TRUE_PEAK_DBTP = -1;

export interface MasterOptions {
  /** The mix WAV (24-bit). */
  out: string;
  sampleRate: number;
  /** Parts that sum to the mix: each gets the mix's gain curve, so they still sum to it. */
  stems?: ReadonlyArray<{ name: string; source: StereoSource; out: string }>;
  targetLufs?: number;
  truePeakCeilingDbtp?: number;
  /** The last frames fade out on purpose: they are not counted as silence. */
  fadeFrames?: number;
  signal?: AbortSignal;
  onProgress?: (p: { stage: 'mastering'; fraction: number }) => void;
}

export interface MasterResult {
  path: string;
  /** Stem name → written WAV; null without stems. */
  stems: Record<string, string> | null;
  sampleRate: number;
  frames: number;
  integratedLufs: number;
  truePeakDbtp: number;
  /** Gain applied before the limiter to reach the target. */
  gainDb: number;
  /** Deepest limiter gain reduction (0 when it never acted). */
  limiterReductionDb: number;
  /** Longest stretch quieter than −60 dBFS before the fade, seconds. */
  longestSilenceSec: number;
  /** Write passes (a pass is redone with a lower threshold when inter-sample peaks poke above). */
  masteringPasses: number;
  warnings: string[];
}

const CHUNK = 8192;
/** More than this past the sample peak and the limiter would crush spiky audio chasing loudness. */
const MAX_LIMITING_DB = 12;
const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * One streaming pass: gain, look-ahead limiter, and `take(start, gains, raw)` for the frames it
 * releases (`raw`: those frames before any gain, kept from the read, so each frame is read once).
 */
async function limitedPass(src: StereoSource, gainDb: number, limitDb: number, sampleRate: number, take: (start: number, gains: Float32Array, raw: Float32Array) => void, signal?: AbortSignal): Promise<LimiterGain> {
  const g = 10 ** (gainDb / 20);
  const limiter = new LimiterGain({ sampleRate, ceiling: 10 ** (limitDb / 20) });
  const queue: Float32Array[] = [];
  let head = 0; // frames of queue[0] already taken
  let done = 0;
  const rawFrames = (n: number): Float32Array => {
    const out = new Float32Array(2 * n);
    for (let filled = 0; filled < n;) {
      const q = queue[0]!;
      const k = Math.min(n - filled, q.length / 2 - head);
      out.set(q.subarray(2 * head, 2 * (head + k)), 2 * filled);
      filled += k;
      head += k;
      if (head === q.length / 2) {
        queue.shift();
        head = 0;
      }
    }
    return out;
  };
  const emit = (gains: Float32Array) => {
    if (!gains.length) return;
    take(done, gains, rawFrames(gains.length));
    done += gains.length;
  };
  for (let start = 0; start < src.frames; start += CHUNK) {
    signal?.throwIfAborted();
    const raw = src.read(start, CHUNK);
    queue.push(raw);
    const chunk = raw.slice();
    for (let i = 0; i < chunk.length; i++) chunk[i] *= g;
    emit(limiter.push(chunk));
    if ((start / CHUNK) % 16 === 0) await tick();
  }
  emit(limiter.flush());
  return limiter;
}

/** `x` scaled by gain × the limiter's per-frame gains, in place. */
function applyGains(x: Float32Array, g: number, gains: Float32Array): Float32Array {
  for (let i = 0; i < gains.length; i++) {
    const k = g * gains[i]!;
    x[2 * i] *= k;
    x[2 * i + 1] *= k;
  }
  return x;
}

/**
 * The mastering every generator's audio goes through: gain to the target loudness, a look-ahead
 * true-peak limiter (its gain applied to the mix and every stem alike), the gain re-aimed by
 * secant steps because the limiter takes loudness back, then written as 24-bit WAV through a
 * temporary file; a pass whose true peak still pokes above the ceiling is redone with a lower
 * threshold. Audio is streamed in chunks, so a long render never has to sit in memory.
 */
export async function masterStereo(mix: StereoSource, o: MasterOptions): Promise<MasterResult> {
  const sr = o.sampleRate;
  const target = o.targetLufs ?? DEFAULT_TARGET_LUFS;
  const ceilingDb = o.truePeakCeilingDbtp ?? DEFAULT_TRUE_PEAK_DBTP;
  const frames = mix.frames;
  const fadeFrames = Math.min(frames, Math.max(0, o.fadeFrames ?? 0));
  const progress = (f: number) => o.onProgress?.({ stage: 'mastering', fraction: f });
  const warnings: string[] = [];
  if (frames === 0) throw new RangeError('There is no audio to master (0 frames).');

  const rawMeter = new LoudnessMeter(sr);
  let samplePeak = 0;
  for (let start = 0; start < frames; start += CHUNK) {
    o.signal?.throwIfAborted();
    const c = mix.read(start, CHUNK);
    rawMeter.push(c);
    for (let i = 0; i < c.length; i++) samplePeak = Math.max(samplePeak, Math.abs(c[i]!));
  }
  const raw = rawMeter.integrated();
  const silent = !Number.isFinite(raw);
  if (silent) warnings.push('The music is silent; loudness normalisation was skipped.');
  const maxGainDb = samplePeak > 0 ? ceilingDb - toDb(samplePeak) + MAX_LIMITING_DB : 0;
  let gainDb = silent ? 0 : Math.min(target - raw, maxGainDb);
  let limitDb = ceilingDb - 0.3;
  progress(0.1);

  // Every pass writes while it measures: a pass that meets the target is the file, so the
  // audio is read once per pass and never once more just to write it. The gain is re-aimed by
  // secant steps (the limiter takes loudness back, so the slope is below 1), the limiter's
  // threshold lowered when inter-sample peaks still poke above the ceiling.
  const writers: WavWriter[] = [];
  let prev: { gain: number; lufs: number } | null = null;
  const MAX_PASSES = 8;
  try {
    for (let pass = 1; ; pass++) {
      const g = 10 ** (gainDb / 20);
      const outMeter = new LoudnessMeter(sr);
      const tp = new TruePeakMeter();
      const mixWriter = new WavWriter(o.out, sr);
      writers.push(mixWriter);
      const stemWriters = (o.stems ?? []).map((s) => {
        const w = new WavWriter(s.out, sr);
        writers.push(w);
        return { ...s, w };
      });
      const block = Math.round(sr / 10);
      let quietRun = 0, longestQuiet = 0, acc = 0, accN = 0;
      const limiter = await limitedPass(mix, gainDb, limitDb, sr, (start, gains, raw) => {
        const x = applyGains(raw, g, gains);
        mixWriter.write(x);
        outMeter.push(x);
        tp.push(x);
        for (const s of stemWriters) s.w.write(applyGains(s.source.read(start, gains.length), g, gains));
        for (let i = 0; i < gains.length && start + i < frames - fadeFrames; i++) {
          acc += x[2 * i]! ** 2 + x[2 * i + 1]! ** 2;
          if (++accN === block) {
            quietRun = acc / (2 * accN) < 1e-6 ? quietRun + 1 : 0; // −60 dBFS
            longestQuiet = Math.max(longestQuiet, quietRun);
            acc = 0;
            accN = 0;
          }
        }
        progress(0.1 + 0.9 * Math.min(1, (pass - 1 + (start + gains.length) / frames) / 3));
      }, o.signal);
      const lufs = outMeter.integrated();
      const peakDb = toDb(tp.value());
      const peakOk = peakDb <= ceilingDb;
      const lufsOk = silent || !Number.isFinite(lufs) || Math.abs(lufs - target) <= 0.05;
      let next = gainDb;
      if (!lufsOk) {
        const slope: number = prev && Math.abs(prev.gain - gainDb) > 1e-6 ? (lufs - prev.lufs) / (gainDb - prev.gain) : 1;
        prev = { gain: gainDb, lufs };
        next = Math.min(maxGainDb, gainDb + (target - lufs) / Math.max(0.2, Math.min(1.5, slope)));
      }
      const stuck = lufsOk || Math.abs(next - gainDb) < 1e-9; // at the gain limit: more gain cannot help
      if ((peakOk && stuck) || pass === MAX_PASSES) {
        if (!peakOk) warnings.push(`The true peak is ${peakDb.toFixed(2)} dBTP, above the ${ceilingDb} dBTP ceiling.`);
        if (Number.isFinite(lufs) && Math.abs(lufs - target) > 0.5) warnings.push(`The loudness is ${lufs.toFixed(2)} LUFS, not ${target} LUFS.`);
        const stems = o.stems ? Object.fromEntries(stemWriters.map((s) => [s.name, s.w.commit()])) : null;
        const path = mixWriter.commit();
        writers.length = 0;
        progress(1);
        return {
          path, stems, sampleRate: sr, frames, integratedLufs: lufs, truePeakDbtp: peakDb, gainDb,
          limiterReductionDb: -toDb(limiter.minGain), longestSilenceSec: longestQuiet / 10, masteringPasses: pass, warnings,
        };
      }
      for (const w of writers) w.abort();
      writers.length = 0;
      // Inter-sample peaks of the limited signal can sit a hair above the limiter's estimate.
      if (!peakOk) limitDb -= peakDb - ceilingDb + 0.1;
      gainDb = next;
    }
  } finally {
    for (const w of writers) w.abort();
  }
}
