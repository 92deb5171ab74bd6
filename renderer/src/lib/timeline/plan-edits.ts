// Turns what the user did on the timeline into the API's plan edits. Pure: the editor previews
// with the same functions it later sends to the engine, and the tests pin both.
import type { PlanEdit } from '../../../../electron/shared/domain.ts';

export type MarkerKind = 'cut' | 'accent';

function insertSorted(list: number[], t: number): number[] {
  const out = [...list, t];
  out.sort((a, b) => a - b);
  return out;
}

/** Frame-exact, distinct and inside the clip: the engine refuses duplicates. */
function freeTime(list: number[], t: number, fps: number, durationSec: number): number {
  const frame = fps > 0 ? 1 / fps : 0.001;
  let x = Math.min(durationSec, Math.max(0, t));
  for (let i = 0; i < 1000 && list.includes(x); i++) x = Math.min(durationSec, Math.round((x + frame) * 1e6) / 1e6);
  return x;
}

export interface MoveResult {
  /** One edit per moved marker, addressed by the marker's id. */
  edits: PlanEdit[];
  /** The list after all edits (what the engine will answer). */
  times: number[];
  /** Where the moved markers ended up. */
  movedTo: number[];
}

/**
 * Moves the selected markers by the same amount. `ids[i]` names the marker at `times[i]`; the
 * edits address markers by id, so their order does not change what they mean. They are still
 * applied farthest-travelling side first, so a moved marker never lands on one waiting to move.
 */
export function moveMarkers(
  kind: MarkerKind, times: readonly number[], selected: readonly number[], targets: readonly number[], fps: number, durationSec: number, ids: readonly string[],
): MoveResult {
  if (selected.length !== targets.length) throw new RangeError('Each selected marker needs a target time.');
  if (ids.length !== times.length) throw new RangeError('Each marker needs an id.');
  let list = [...times];
  const edits: PlanEdit[] = [];
  const movedTo: number[] = [];
  const order = selected.map((index, k) => ({ from: times[index]!, to: targets[k]!, id: ids[index]! }));
  const rightward = order.length > 0 && order[0]!.to >= order[0]!.from;
  order.sort((a, b) => (rightward ? b.from - a.from : a.from - b.from));
  for (const m of order) {
    const index = list.indexOf(m.from);
    if (index < 0 || m.id === undefined) continue;
    const rest = list.filter((_, i) => i !== index);
    const to = freeTime(rest, m.to, fps, durationSec);
    movedTo.push(to);
    if (to === m.from) continue;
    edits.push(kind === 'cut' ? { kind: 'moveCut', id: m.id, toSec: to } : { kind: 'moveAccent', id: m.id, toSec: to });
    list = insertSorted(rest, to);
  }
  return { edits, times: list, movedTo: movedTo.sort((a, b) => a - b) };
}

/** Deletes the selected markers (indices into the list whose ids are `ids`) by id. */
export function deleteMarkers(kind: MarkerKind, selected: readonly number[], ids: readonly string[]): PlanEdit[] {
  return [...new Set(selected)].filter((i) => ids[i] !== undefined).sort((a, b) => a - b)
    .map((i) => (kind === 'cut' ? { kind: 'deleteCut', id: ids[i]! } : { kind: 'deleteAccent', id: ids[i]! }));
}

export function addMarker(kind: MarkerKind, times: readonly number[], atSec: number, fps: number, durationSec: number): { edit: PlanEdit; timeSec: number } {
  const t = freeTime([...times], atSec, fps, durationSec);
  return { edit: kind === 'cut' ? { kind: 'addCut', atSec: t } : { kind: 'addAccent', atSec: t }, timeSec: t };
}

/**
 * A drawing stroke across the ODF bars: each pointer sample sets the bars it passes over, with
 * the value interpolated between samples so a fast stroke leaves no gaps.
 */
export class OdfStroke {
  private readonly values: number[];
  private readonly touched = new Set<number>();
  private last: { sec: number; value: number } | null = null;

  constructor(private readonly original: readonly number[]) {
    this.values = [...original];
  }

  /** Adds a pointer sample (time in seconds, value 0..1); returns the bars changed so far. */
  add(sec: number, value: number): readonly number[] {
    const v = Math.min(1, Math.max(0, value));
    const from = this.last ?? { sec, value: v };
    const a = Math.floor(Math.min(from.sec, sec));
    const b = Math.floor(Math.max(from.sec, sec));
    for (let i = Math.max(0, a); i <= Math.min(this.values.length - 1, b); i++) {
      const span = sec - from.sec;
      const mid = i + 0.5;
      const f = span === 0 ? 1 : Math.min(1, Math.max(0, (mid - from.sec) / span));
      this.values[i] = Math.round((from.value + (v - from.value) * f) * 1000) / 1000;
      this.touched.add(i);
    }
    this.last = { sec, value: v };
    return this.values;
  }

  get preview(): readonly number[] {
    return this.values;
  }

  /** One setOdf edit covering every touched bar (untouched bars inside keep their value), or null. */
  edit(): PlanEdit | null {
    if (this.touched.size === 0) return null;
    const start = Math.min(...this.touched);
    const end = Math.max(...this.touched);
    const values = this.values.slice(start, end + 1);
    if (values.every((v, k) => v === this.original[start + k])) return null;
    return { kind: 'setOdf', startIndex: start, values };
  }
}

/**
 * A tempo to offer when the user locks one: the median gap between accents (or cuts), folded
 * into 70–180 BPM where most scoring tempi lie; null with fewer than two markers.
 */
export function estimateBpm(times: readonly number[]): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const g = times[i]! - times[i - 1]!;
    if (g > 0.05) gaps.push(g);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  let bpm = 60 / gaps[Math.floor(gaps.length / 2)]!;
  while (bpm < 70) bpm *= 2;
  while (bpm > 180) bpm /= 2;
  return Math.round(bpm * 10) / 10;
}
