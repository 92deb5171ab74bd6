/**
 * The energy curve that drives density: per second,
 *   E[s] = clamp(0.55·odf3[s] + 0.30·motion[s] + 0.15·(arousal + 1)/2, 0, 1)
 * where odf3 is odfLR smoothed over 3 s (so one strong hit lifts its neighbours a little).
 */
export function energyCurve(odfLR: readonly number[], motionLR: readonly number[] | undefined, arousal: number): Float64Array {
  const n = odfLR.length;
  const e = new Float64Array(n);
  const a = (Math.max(-1, Math.min(1, arousal)) + 1) / 2;
  for (let s = 0; s < n; s++) {
    let sum = 0, c = 0;
    for (let k = s - 1; k <= s + 1; k++) if (k >= 0 && k < n) {
      sum += odfLR[k]!;
      c++;
    }
    const v = 0.55 * (sum / c) + 0.3 * (motionLR?.[s] ?? 0) + 0.15 * a;
    e[s] = Math.max(0, Math.min(1, v));
  }
  return e;
}

/**
 * The user's intensity control: 0.5 leaves the picture's energy as it is; each step of 0.1
 * moves the whole curve by 0.06 (so 0 thins the arrangement by about one density level and 1
 * thickens it by one), clamped to 0..1.
 */
export function withIntensity(e: Float64Array, intensity: number): Float64Array {
  if (!Number.isFinite(intensity) || intensity < 0 || intensity > 1) {
    throw new RangeError(`Intensity must be from 0 to 1 (both included), got ${intensity}.`);
  }
  const shift = (intensity - 0.5) * 0.6;
  return e.map((v) => Math.max(0, Math.min(1, v + shift)));
}

/** Mean energy over [t0, t1) seconds. */
export function meanEnergy(e: Float64Array, t0: number, t1: number): number {
  const s0 = Math.max(0, Math.floor(t0)), s1 = Math.min(e.length, Math.max(s0 + 1, Math.ceil(t1)));
  let sum = 0;
  for (let s = s0; s < s1; s++) sum += e[s]!;
  return s1 > s0 ? sum / (s1 - s0) : 0;
}

/** Density level 0..3 from an energy value. */
export function densityLevel(energy: number): number {
  return energy < 0.22 ? 0 : energy < 0.42 ? 1 : energy < 0.62 ? 2 : 3;
}
