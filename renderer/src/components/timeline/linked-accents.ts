// A cut's accent: the planner puts an accent on (or within a frame of) each cut it keeps, so
// the music hits the picture change. Moving the cut must carry that accent along, or the plan
// silently asks the music to hit where the picture no longer changes.
import { moveMarkers, type MoveResult } from './plan-edits.ts';

/** Index of the accent belonging to each selected cut (−1 for none): the nearest within `tolSec`. */
export function accentsOfCuts(cuts: readonly number[], accents: readonly number[], selectedCuts: readonly number[], tolSec: number): number[] {
  const taken = new Set<number>();
  return selectedCuts.map((ci) => {
    const c = cuts[ci]!;
    let best = -1;
    let bestD = tolSec + 1e-9;
    accents.forEach((a, ai) => {
      const d = Math.abs(a - c);
      if (d <= bestD && !taken.has(ai)) {
        best = ai;
        bestD = d;
      }
    });
    if (best >= 0) taken.add(best);
    return best;
  });
}

/**
 * The accents that follow a cut drag: each keeps its offset from its cut. `null` when no dragged
 * cut has an accent.
 */
export function followCuts(
  cuts: readonly number[], accents: readonly number[], selectedCuts: readonly number[], deltaSec: number, fps: number, durationSec: number,
): MoveResult | null {
  const tol = fps > 0 ? 1 / fps : 0.04;
  const linked = accentsOfCuts(cuts, accents, selectedCuts, tol).filter((i) => i >= 0);
  if (linked.length === 0 || deltaSec === 0) return null;
  const targets = linked.map((i) => Math.round((accents[i]! + deltaSec) * 1e6) / 1e6);
  return moveMarkers('accent', accents, linked, targets, fps, durationSec);
}
