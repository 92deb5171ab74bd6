// A cut's accent: the planner puts an accent on (or within a frame of) each cut it keeps, so
// the music hits the picture change. Moving the cut must carry that accent along, or the plan
// silently asks the music to hit where the picture no longer changes.
import type { PlanAccent, PlanCut } from '../../../../electron/shared/domain.ts';
import { moveMarkers, type MoveResult } from './plan-edits.ts';

/**
 * The id of the accent belonging to each given cut (null for none): the nearest accent within
 * `tolSec` of the cut's time. One accent never belongs to two cuts.
 */
export function accentsOfCuts(cuts: readonly PlanCut[], accents: readonly PlanAccent[], cutIds: readonly string[], tolSec: number): Array<string | null> {
  const taken = new Set<string>();
  return cutIds.map((id) => {
    const c = cuts.find((x) => x.id === id);
    if (!c) return null;
    let best: string | null = null;
    let bestD = tolSec + 1e-9;
    for (const a of accents) {
      const d = Math.abs(a.timeSec - c.timeSec);
      if (d <= bestD && !taken.has(a.id)) {
        best = a.id;
        bestD = d;
      }
    }
    if (best !== null) taken.add(best);
    return best;
  });
}

/**
 * The accent moves that follow a drag of the cuts `cutIds` by `deltaSec`: each linked accent keeps
 * its offset from its cut (and, being addressed by id, its strength and kind). `null` when no
 * dragged cut has an accent.
 */
export function followCuts(
  cuts: readonly PlanCut[], accents: readonly PlanAccent[], cutIds: readonly string[], deltaSec: number, fps: number, durationSec: number,
): MoveResult | null {
  const tol = fps > 0 ? 1 / fps : 0.04;
  const linked = accentsOfCuts(cuts, accents, cutIds, tol).filter((id): id is string => id !== null);
  if (linked.length === 0 || deltaSec === 0) return null;
  const ids = accents.map((a) => a.id);
  const times = accents.map((a) => a.timeSec);
  const selected = linked.map((id) => ids.indexOf(id));
  const targets = selected.map((i) => Math.round((times[i]! + deltaSec) * 1e6) / 1e6);
  return moveMarkers('accent', times, selected, targets, fps, durationSec, ids);
}
