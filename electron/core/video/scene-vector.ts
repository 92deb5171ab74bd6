/**
 * The paper's per-second scene vector e: e[s] = 1 when a scene cut (the first frame of a new
 * scene) falls in second [s, s+1). The opening of the clip is not a transition, so e[0] is 1
 * only when a cut happens during the first second.
 */
export function sceneVector(cutTimes: ArrayLike<number>, seconds: number): Uint8Array {
  const e = new Uint8Array(Math.max(0, seconds));
  for (let i = 0; i < cutTimes.length; i++) {
    const s = Math.floor(cutTimes[i]!);
    if (s >= 0 && s < e.length) e[s] = 1;
  }
  return e;
}

/**
 * Length of the per-second vectors: every second [s, s+1) in which a frame starts, i.e.
 * floor(last frame time) + 1. A 30 s clip at 30 fps (last frame 29.967 s) gives 30, as the
 * paper's T = 30.
 */
export function secondsCovered(lastFrameSec: number): number {
  if (!Number.isFinite(lastFrameSec) || lastFrameSec < 0) return 0;
  return Math.floor(lastFrameSec + 1e-9) + 1;
}
