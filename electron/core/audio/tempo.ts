import { tempogramMean } from './tempogram.ts';

export interface TempoOptions {
  sampleRate: number;
  hopLength?: number;
  startBpm?: number;
  stdBpm?: number;
  /** Autocorrelation window, seconds. */
  acSize?: number;
  maxTempo?: number;
}

/**
 * librosa.feature.tempo(onset_envelope=env) with the default log-normal prior (SIGNALS §2.7):
 * argmax over lags of log1p(1e6 · mean tempogram) + prior. Returns BPM.
 */
export function estimateTempo(env: ArrayLike<number>, o: TempoOptions): number {
  const hop = o.hopLength ?? 512;
  const sr = o.sampleRate;
  const startBpm = o.startBpm ?? 120;
  const stdBpm = o.stdBpm ?? 1;
  const acSize = o.acSize ?? 8;
  const maxTempo = o.maxTempo ?? 320;
  if (!(startBpm > 0)) throw new RangeError(`startBpm must be positive, got ${startBpm}.`);
  if (!(stdBpm > 0)) throw new RangeError(`stdBpm must be positive, got ${stdBpm}.`);
  if (!(acSize > 0)) throw new RangeError(`acSize must be positive, got ${acSize}.`);
  // time_to_frames(ac_size) = floor(int(ac_size·sr) / hop)
  const win = Math.floor(Math.trunc(acSize * sr) / hop);
  if (win < 2) throw new RangeError(`The tempo window (${acSize} s) is shorter than two frames at ${sr} Hz / hop ${hop}.`);
  const tg = tempogramMean(env, win);
  let firstBelow = -1; // argmax(bpms < max_tempo)
  const bpms = new Float64Array(win);
  bpms[0] = Infinity;
  for (let k = 1; k < win; k++) bpms[k] = (60 * sr) / (hop * k);
  for (let k = 0; k < win; k++) if (bpms[k]! < maxTempo) { firstBelow = k; break; }
  if (firstBelow < 0) firstBelow = 0; // np.argmax of all-False is 0
  let best = 0;
  let bestScore = -Infinity;
  const l2s = Math.log2(startBpm);
  for (let k = 0; k < win; k++) {
    const prior = k < firstBelow ? -Infinity : -0.5 * ((Math.log2(bpms[k]!) - l2s) / stdBpm) ** 2;
    const score = Math.log1p(1e6 * tg[k]!) + prior;
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return bpms[best]!;
}
