import { peakPick, type PeakPickParams } from '../audio/peak-pick.ts';

/** A peak of the visual-rhythm curve. */
export interface VisualBeat {
  timeSec: number;
  /** The visual-rhythm curve's value at the peak, 0..1. */
  strength: number;
}

/**
 * librosa `peak_pick` windows in seconds instead of frames, so the same settings work at any
 * frame rate. Converted with ceil(sec × fps) (librosa casts with ceil too); the post windows
 * get +1 frame as librosa's onset_detect does, so 0 s means "this frame only".
 */
export interface VisualBeatParams {
  preMaxSec: number;
  postMaxSec: number;
  preAvgSec: number;
  postAvgSec: number;
  /** Minimum height above the local mean, in curve units (0..1). */
  delta: number;
  /** Minimum gap after a beat, seconds. */
  waitSec: number;
}

/**
 * Visual beats are sparser than audio onsets: a beat must be the maximum within ±0.25 s, stand
 * 0.05 above the mean of the surrounding second, and beats are at least 0.25 s apart.
 */
export const DEFAULT_VISUAL_BEAT_PARAMS: VisualBeatParams = {
  preMaxSec: 0.25,
  postMaxSec: 0.25,
  preAvgSec: 0.5,
  postAvgSec: 0.5,
  delta: 0.05,
  waitSec: 0.25,
};

export function peakPickFrames(p: VisualBeatParams, fps: number): PeakPickParams {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`Visual beats need a positive frame rate, got ${fps}.`);
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`Visual beat setting ${k} must be a non-negative number, got ${v}.`);
  }
  // Tiny epsilon: 0.25 s × 20 fps must give 5 frames, not ceil(5.000000000000001) = 6.
  const frames = (sec: number) => Math.max(0, Math.ceil(sec * fps - 1e-9));
  return {
    preMax: frames(p.preMaxSec),
    postMax: frames(p.postMaxSec) + 1,
    preAvg: frames(p.preAvgSec),
    postAvg: frames(p.postAvgSec) + 1,
    delta: p.delta,
    wait: frames(p.waitSec),
  };
}

/**
 * Peaks of the (unclipped) visual-rhythm values `scaled`; a beat's strength is min(1, value).
 * `frameTimes[i]` is frame i's presentation time (so VFR video is right); `fps` converts the
 * windows. Frames where the value is 0 are never beats (as in librosa ≤ 0.10), so a still clip
 * has none.
 */
export function visualBeats(
  scaled: ArrayLike<number>,
  frameTimes: ArrayLike<number>,
  fps: number,
  p: VisualBeatParams = DEFAULT_VISUAL_BEAT_PARAMS,
): VisualBeat[] {
  if (scaled.length !== frameTimes.length) {
    throw new RangeError(`visualBeats: ${scaled.length} curve values but ${frameTimes.length} frame times.`);
  }
  const idx = peakPick(scaled, peakPickFrames(p, fps));
  const beats: VisualBeat[] = [];
  for (const i of idx) {
    const value = scaled[i]!;
    if (value > 0) beats.push({ timeSec: frameTimes[i]!, strength: Math.min(1, value) });
  }
  return beats;
}

/** The paper's per-second vector v: the strongest beat whose time falls in [s, s+1), 0 if none. */
export function beatVector(beats: readonly VisualBeat[], seconds: number): Float32Array {
  const v = new Float32Array(Math.max(0, seconds));
  for (const b of beats) {
    const s = Math.floor(b.timeSec);
    if (s >= 0 && s < v.length && b.strength > v[s]!) v[s] = b.strength;
  }
  return v;
}
