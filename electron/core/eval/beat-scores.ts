import { onsetDetect, framesToTime } from '../audio/onset-detect.ts';
import { onsetStrength } from '../audio/onset-strength.ts';

/**
 * Beats Coverage Score and Beats Hit Score, **D2M-GAN variant** (Zhu et al. 2022,
 * L-YeZhu/Beats_Scores; SIGNALS §3.4). Not the LORIS variant (which redefines cover as a
 * precision and uses other peak-picking windows).
 */
export const BEAT_SCORES_VARIANT = 'D2M-GAN (L-YeZhu/Beats_Scores)';

/** The tool's onset_detect settings at its 22050 Hz, hop 512 (pre_max stays at its default). */
export const D2M_GAN_PEAK = { wait: 1, delta: 0.2, preAvg: 1, postAvg: 1, postMax: 1 };

/** One binary bin per whole second: bin ⌊t⌋ is 1 if some onset time t falls in it. */
export function secondBins(onsetTimes: ArrayLike<number>, durationSec: number): Uint8Array {
  if (!(durationSec >= 0) || !Number.isFinite(durationSec)) throw new RangeError(`durationSec must be a non-negative number, got ${durationSec}.`);
  const bins = new Uint8Array(Math.ceil(durationSec));
  for (let i = 0; i < onsetTimes.length; i++) {
    const b = Math.trunc(onsetTimes[i]!);
    if (b >= 0 && b < bins.length) bins[b] = 1;
  }
  return bins;
}

/** beat_detect(x, sr): the tool's per-second onset bins for mono audio at sampleRate (22050 in the tool). */
export function d2mGanBeatBins(y: Float32Array, sampleRate = 22050): Uint8Array {
  const env = onsetStrength(y, sampleRate);
  const frames = onsetDetect(env, { sampleRate, peak: D2M_GAN_PEAK });
  return secondBins(framesToTime(frames, sampleRate, 512), y.length / sampleRate);
}

export interface BeatScores {
  /** Σ generated bins / Σ ground-truth bins (can exceed 1). */
  bcs: number;
  /** Bins set in both / Σ ground-truth bins. */
  bhs: number;
  total: number;
  cover: number;
  hit: number;
}

export function beatScores(gt: ArrayLike<number>, syn: ArrayLike<number>): BeatScores {
  if (gt.length !== syn.length) throw new RangeError(`BCS/BHS need equal lengths (one bin per second): ${gt.length} vs ${syn.length}.`);
  let total = 0;
  let cover = 0;
  let hit = 0;
  for (let i = 0; i < gt.length; i++) {
    total += gt[i]!;
    cover += syn[i]!;
    if (gt[i] === 1 && syn[i] === 1) hit++;
  }
  if (total === 0) throw new RangeError('BCS/BHS are undefined when the reference has no beats (every ground-truth bin is empty).');
  return { bcs: cover / total, bhs: hit / total, total, cover, hit };
}
