/**
 * Visual rhythm: how much the picture changes from one frame to the next.
 *
 * Definition (per analysis frame i, on the 256-px analysis frame PySceneDetect also sees):
 *   d[i] = mean over pixels of |Y_i − Y_{i−1}|, Y = 8-bit BT.601 luma; d[0] = 0.
 *   s    = d smoothed by a centred, unit-sum Hann window `smoothSec` long (odd length in frames,
 *          truncated and renormalised at the clip's ends);
 *   r[i] = s[i] / m, m = the clip's robust maximum: the `robustQuantile` (0.95) quantile of s;
 *   curve[i] = min(1, r[i]). Hard cuts land above m and clip to 1, so they cannot flatten the
 *          rest. Beats are picked on r, where a cut is still a single peak, not a plateau.
 * A clip whose robust maximum is below `minMotion` (nothing moves) gets an all-zero curve.
 */

export interface VisualRhythmParams {
  /** Length of the Hann smoothing window, seconds. */
  smoothSec: number;
  /** Quantile of the smoothed differences used as the curve's 1.0. */
  robustQuantile: number;
  /** Below this many luma levels of change the clip counts as still. */
  minMotion: number;
}

export const DEFAULT_VISUAL_RHYTHM_PARAMS: VisualRhythmParams = { smoothSec: 0.2, robustQuantile: 0.95, minMotion: 0.05 };

/** Odd-length Hann window (length ≥ 1) spanning about `sec` seconds at `fps`, summing to 1. */
export function hannWindow(sec: number, fps: number): Float64Array {
  let n = Math.max(1, Math.round(sec * fps));
  if (n % 2 === 0) n += 1;
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  // Endpoints of a symmetric Hann are zero; use n+2 points and drop them so every tap counts.
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 1)) / (n + 1));
  let sum = 0;
  for (const v of w) sum += v;
  for (let i = 0; i < n; i++) w[i]! /= sum;
  return w;
}

/** Centred convolution with `w`; at the edges the window is truncated and renormalised. */
export function smoothCentred(x: ArrayLike<number>, w: Float64Array): Float64Array {
  const n = x.length;
  const half = (w.length - 1) / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let ws = 0;
    const lo = Math.max(0, i - half);
    const hi = Math.min(n - 1, i + half);
    for (let j = lo; j <= hi; j++) {
      const wj = w[j - i + half]!;
      s += wj * x[j]!;
      ws += wj;
    }
    out[i] = ws > 0 ? s / ws : 0;
  }
  return out;
}

/** Linear-interpolated quantile (numpy's default) of the finite values; 0 for none. */
export function quantile(x: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}.`);
  const v = Float64Array.from(Array.prototype.filter.call(x, Number.isFinite) as number[]).sort();
  if (v.length === 0) return 0;
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo]! + (pos - lo) * (v[hi]! - v[lo]!);
}

export interface VisualRhythm {
  /** 0..1, one value per frame. */
  curve: Float32Array;
  /** The same before clipping at 1 (what peak picking sees). */
  scaled: Float64Array;
}

/** The visual-rhythm curve from per-frame luma differences. */
export function visualRhythm(diffs: ArrayLike<number>, fps: number, p: VisualRhythmParams = DEFAULT_VISUAL_RHYTHM_PARAMS): VisualRhythm {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`visualRhythmCurve: fps must be a positive number, got ${fps}.`);
  if (!(p.smoothSec >= 0)) throw new RangeError(`visualRhythmCurve: smoothSec must be ≥ 0, got ${p.smoothSec}.`);
  const s = smoothCentred(diffs, hannWindow(p.smoothSec, fps));
  const m = quantile(s, p.robustQuantile);
  const curve = new Float32Array(s.length);
  const scaled = new Float64Array(s.length);
  if (!(m >= p.minMotion)) return { curve, scaled };
  for (let i = 0; i < s.length; i++) {
    scaled[i] = s[i]! / m;
    curve[i] = Math.min(1, scaled[i]!);
  }
  return { curve, scaled };
}
