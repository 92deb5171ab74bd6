import { LimiterGain } from '../compose/limiter.ts';
import { LoudnessMeter, TruePeakMeter, toDb } from '../compose/loudness-meter.ts';
import { WavWriter } from '../compose/wav-writer.ts';

export interface MasterOptions {
  out: string;
  sampleRate: number;
  targetLufs?: number;
  truePeakCeilingDbtp?: number;
  signal?: AbortSignal;
  onProgress?: (p: { stage: 'mastering'; fraction: number }) => void;
}

export interface MasterResult {
  path: string;
  sampleRate: number;
  frames: number;
  integratedLufs: number;
  truePeakDbtp: number;
  gainDb: number;
  limiterReductionDb: number;
  warnings: string[];
}

const CHUNK = 8192;

function limited(x: Float32Array, gainDb: number, limitDb: number, sr: number): { y: Float32Array; minGain: number } {
  const g = 10 ** (gainDb / 20);
  const lim = new LimiterGain({ sampleRate: sr, ceiling: 10 ** (limitDb / 20) });
  const y = new Float32Array(x.length);
  let done = 0;
  const take = (gains: Float32Array) => {
    for (let i = 0; i < gains.length; i++, done++) {
      const k = g * gains[i]!;
      y[2 * done] = x[2 * done]! * k;
      y[2 * done + 1] = x[2 * done + 1]! * k;
    }
  };
  for (let s = 0; s < x.length; s += 2 * CHUNK) {
    const c = x.slice(s, Math.min(x.length, s + 2 * CHUNK));
    for (let i = 0; i < c.length; i++) c[i] *= g;
    take(lim.push(c));
  }
  take(lim.flush());
  return { y, minGain: lim.minGain };
}

function measure(y: Float32Array, sr: number): { lufs: number; peakDb: number } {
  const m = new LoudnessMeter(sr), tp = new TruePeakMeter();
  m.push(y);
  tp.push(y);
  return { lufs: m.integrated(), peakDb: toDb(tp.value()) };
}

/**
 * The composer's mastering for audio that is already in memory (interleaved stereo): gain to the
 * target loudness (−14 LUFS), the composer's look-ahead true-peak limiter (≤ −1 dBTP), measured
 * and corrected a few times, then written as 24-bit WAV through a temporary file and a rename.
 */
export async function masterToWav(x: Float32Array, o: MasterOptions): Promise<MasterResult> {
  const sr = o.sampleRate;
  const target = o.targetLufs ?? -14;
  const ceilingDb = o.truePeakCeilingDbtp ?? -1;
  const warnings: string[] = [];
  const raw = measure(x, sr).lufs;
  let gainDb = Number.isFinite(raw) ? target - raw : 0;
  if (!Number.isFinite(raw)) warnings.push('The music is silent; loudness normalisation was skipped.');
  let limitDb = ceilingDb - 0.3;
  // Never drive the limiter more than 12 dB past the sample peak: spiky audio (tiny test packs)
  // would otherwise be crushed chasing a loudness it cannot reach; the shortfall is reported.
  let samplePeak = 0;
  for (let i = 0; i < x.length; i++) samplePeak = Math.max(samplePeak, Math.abs(x[i]!));
  const maxGainDb = samplePeak > 0 ? ceilingDb - toDb(samplePeak) + 12 : 0;
  gainDb = Math.min(gainDb, maxGainDb);
  let best = limited(x, gainDb, limitDb, sr);
  let meas = measure(best.y, sr);
  // Secant steps on the gain (the limiter takes loudness back, so the slope is below 1), and a
  // lower limiter threshold whenever inter-sample peaks still poke above the ceiling.
  let prev: { gain: number; lufs: number } | null = null;
  for (let it = 0; it < 8 && Number.isFinite(raw); it++) {
    o.signal?.throwIfAborted();
    o.onProgress?.({ stage: 'mastering', fraction: (it + 1) / 10 });
    const lufsOk = Math.abs(meas.lufs - target) <= 0.05;
    const peakOk = meas.peakDb <= ceilingDb;
    if (lufsOk && peakOk) break;
    if (!peakOk) limitDb -= meas.peakDb - ceilingDb + 0.1;
    if (!lufsOk && Number.isFinite(meas.lufs)) {
      const slope = prev && Math.abs(prev.gain - gainDb) > 1e-6 ? (meas.lufs - prev.lufs) / (gainDb - prev.gain) : 1;
      prev = { gain: gainDb, lufs: meas.lufs };
      const next = Math.min(maxGainDb, gainDb + (target - meas.lufs) / Math.max(0.1, Math.min(1.5, slope)));
      if (peakOk && Math.abs(next - gainDb) < 1e-9) break;
      gainDb = next;
    }
    best = limited(x, gainDb, limitDb, sr);
    meas = measure(best.y, sr);
    await new Promise((r) => setImmediate(r));
  }
  if (meas.peakDb > ceilingDb) warnings.push(`The true peak is ${meas.peakDb.toFixed(2)} dBTP, above the ${ceilingDb} dBTP ceiling.`);
  if (Number.isFinite(meas.lufs) && Math.abs(meas.lufs - target) > 0.5) warnings.push(`The loudness is ${meas.lufs.toFixed(2)} LUFS, not ${target} LUFS.`);
  const w = new WavWriter(o.out, sr);
  try {
    for (let s = 0; s < best.y.length; s += 2 * CHUNK) w.write(best.y.subarray(s, Math.min(best.y.length, s + 2 * CHUNK)));
    const path = w.commit();
    o.onProgress?.({ stage: 'mastering', fraction: 1 });
    return {
      path, sampleRate: sr, frames: best.y.length / 2, integratedLufs: meas.lufs, truePeakDbtp: meas.peakDb, gainDb,
      limiterReductionDb: -toDb(best.minGain), warnings,
    };
  } catch (e) {
    w.abort();
    throw e;
  }
}
