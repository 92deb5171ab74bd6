import { LimitedLoudnessModel } from './limited-loudness-model.ts';
import { LimiterGain } from './limiter.ts';
import { LoudnessMeter, TruePeakMeter, toDb } from './loudness-meter.ts';
import { QuietRun } from './quiet-run.ts';
import { MAX_LIMITING_DB, RawPass, type MeasuredSource, type RawMeasure } from './raw-pass.ts';
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
const MAX_PASSES = 8;
const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * One streaming pass: gain, look-ahead limiter, and `take(start, gains, raw)` for each chunk as
 * read once its gains are out (`raw`: the chunk before any gain, the caller's to scale in place).
 */
async function limitedPass(src: StereoSource, gainDb: number, limitDb: number, sampleRate: number, take: (start: number, gains: Float32Array, raw: Float32Array) => void, signal?: AbortSignal): Promise<LimiterGain> {
  const g = 10 ** (gainDb / 20);
  const limiter = new LimiterGain({ sampleRate, ceiling: 10 ** (limitDb / 20) });
  const queue: Float32Array[] = []; // chunks read whose gains are not all out yet
  const scaled = new Float32Array(2 * CHUNK);
  let pending = new Float32Array(CHUNK + limiter.latency); // gains out, not yet taken
  let have = 0;
  let done = 0;
  const gather = (gains: Float32Array) => {
    if (have + gains.length > pending.length) {
      const bigger = new Float32Array(2 * (have + gains.length));
      bigger.set(pending.subarray(0, have));
      pending = bigger;
    }
    pending.set(gains, have);
    have += gains.length;
    // Whole chunks as read, so each frame is read once and written in the reader's chunks.
    while (queue.length && have >= queue[0]!.length / 2) {
      const raw = queue.shift()!;
      const n = raw.length / 2;
      take(done, pending.subarray(0, n), raw);
      pending.copyWithin(0, n, have);
      have -= n;
      done += n;
    }
  };
  for (let start = 0; start < src.frames; start += CHUNK) {
    signal?.throwIfAborted();
    const raw = src.read(start, CHUNK);
    queue.push(raw);
    const x = scaled.subarray(0, raw.length);
    for (let i = 0; i < raw.length; i++) x[i] = raw[i]! * g;
    gather(limiter.push(x));
    if ((start / CHUNK) % 16 === 0) await tick();
  }
  gather(limiter.flush());
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

/** The raw pass over a source that does not carry one. */
async function rawPass(mix: StereoSource, sr: number, progress: (f: number) => void, signal?: AbortSignal): Promise<RawMeasure> {
  const pass = new RawPass(sr, mix.frames);
  for (let start = 0; start < mix.frames; start += CHUNK) {
    signal?.throwIfAborted();
    pass.push(mix.read(start, CHUNK));
    if ((start / CHUNK) % 16 === 15) {
      progress((0.1 * start) / mix.frames);
      await tick();
    }
  }
  return pass.finish();
}

/** Progress of write pass `pass` at `fraction` of it: most of the way by the end of the first, as most masters take one. */
const passProgress = (pass: number, fraction: number) => 0.1 + 0.9 * (1 - 0.1 ** (pass - 1 + fraction));

/**
 * The mastering every generator's audio goes through: gain to the target loudness, a look-ahead
 * true-peak limiter (its gain applied to the mix and every stem alike), written as 24-bit WAV
 * through a temporary file. The limiter takes loudness back, so the gain is aimed before writing
 * on a model of the limited loudness built in the raw pass (LimitedLoudnessModel), then checked
 * on the written output: a miss re-aims it by the measured error, and a pass whose true peak
 * still pokes above the ceiling is redone with a lower threshold. Audio is streamed in chunks,
 * so a long render never has to sit in memory (the model keeps two numbers per ~10 frames).
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

  // The raw pass: loudness, sample peak, and per bin the peaks and energies the model needs
  // (already measured when the source was written, or measured here).
  const given = (mix as MeasuredSource).measured;
  const m = given && given.frames === frames && given.sampleRate === sr ? given : await rawPass(mix, sr, progress, o.signal);
  const { samplePeak, binFrames, binPeaks } = m;
  const raw = m.integratedLufs;
  const silent = !Number.isFinite(raw);
  if (silent) warnings.push('The music is silent; loudness normalisation was skipped.');
  const maxGainDb = samplePeak > 0 ? ceilingDb - toDb(samplePeak) + MAX_LIMITING_DB : 0;
  let limitDb = ceilingDb - 0.3;
  const model = silent ? null : new LimitedLoudnessModel({ sampleRate: sr, binFrames, peaks: binPeaks, energies: m.binEnergies });
  // `bias`: how far the real output read above the model, measured by a pass.
  const aim = (limit: number, bias: number, from: number) => (model ? model.solve(target - bias, limit, maxGainDb, from) : 0);
  let gainDb = aim(limitDb, 0, target - raw);
  progress(0.1);

  // Every pass writes while it measures: a pass that meets the target is the file, so the
  // audio is read once per pass and never once more just to write it.
  const writers: WavWriter[] = [];
  let prev: { gain: number; lufs: number; limit: number } | null = null;
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
      const quiet = new QuietRun(sr, frames - fadeFrames);
      const limiter = await limitedPass(mix, gainDb, limitDb, sr, (start, gains, raw) => {
        const x = applyGains(raw, g, gains);
        mixWriter.write(x);
        outMeter.push(x);
        tp.push(x);
        for (const s of stemWriters) s.w.write(applyGains(s.source.read(start, gains.length), g, gains));
        quiet.push(x);
        progress(passProgress(pass, (start + gains.length) / frames));
      }, o.signal);
      const lufs = outMeter.integrated();
      const peakDb = toDb(tp.value());
      const peakOk = peakDb <= ceilingDb;
      const lufsOk = silent || !Number.isFinite(lufs) || Math.abs(lufs - target) <= 0.05;
      // Inter-sample peaks of the limited signal can sit a hair above the limiter's estimate.
      const nextLimit = peakOk ? limitDb : limitDb - (peakDb - ceilingDb + 0.1);
      let next = gainDb;
      if (!silent && Number.isFinite(lufs) && (!lufsOk || !peakOk)) {
        if (prev && !lufsOk && prev.limit === limitDb && nextLimit === limitDb && Math.abs(prev.gain - gainDb) > 1e-6) {
          // Two real readings at this threshold: a secant step on them (the model has had its go).
          const slope = (lufs - prev.lufs) / (gainDb - prev.gain);
          next = Math.min(maxGainDb, gainDb + (target - lufs) / Math.max(0.2, Math.min(1.5, slope)));
        } else {
          next = aim(nextLimit, lufs - model!.loudness(gainDb, limitDb), gainDb);
        }
        prev = { gain: gainDb, lufs, limit: limitDb };
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
          limiterReductionDb: -toDb(limiter.minGain), longestSilenceSec: quiet.longest / 10, masteringPasses: pass, warnings,
        };
      }
      for (const w of writers) w.abort();
      writers.length = 0;
      limitDb = nextLimit;
      gainDb = next;
    }
  } finally {
    for (const w of writers) w.abort();
  }
}
