// A drag of one or more selected markers: previews while moving ("editing"), and yields the
// edits to save once on release ("changed").
import { moveMarkers, type MarkerKind, type MoveResult } from './plan-edits.ts';
import { snapTime, type SnapKind, type SnapOptions } from './timeline-geometry.ts';

export class MarkerDrag {
  private delta = 0;
  snapped: SnapKind | null = null;

  constructor(
    readonly kind: MarkerKind,
    readonly times: readonly number[],
    /** Indices being dragged; `grabbed` is the one under the pointer. */
    readonly selected: readonly number[],
    private readonly grabbed: number,
    private readonly startSec: number,
    /** The id of each marker in `times`. */
    private readonly ids: readonly string[],
  ) {}

  /** Moves to the pointer; the grabbed marker snaps and the rest keep their spacing. */
  update(pointerSec: number, snap: Omit<SnapOptions, 'targets'> & { targets?: ArrayLike<number> }): void {
    const anchor = this.times[this.grabbed]!;
    const raw = anchor + (pointerSec - this.startSec);
    const s = snapTime(raw, snap);
    this.snapped = s.kind;
    this.delta = s.timeSec - anchor;
  }

  get deltaSec(): number {
    return this.delta;
  }

  /** Where the marker under the pointer is now (shown as a timecode while dragging). */
  get grabbedSec(): number {
    return this.times[this.grabbed]! + this.delta;
  }

  /** The marker list as it looks mid-drag. */
  preview(fps: number, durationSec: number): MoveResult {
    const targets = this.selected.map((i) => this.times[i]! + this.delta);
    return moveMarkers(this.kind, this.times, this.selected, targets, fps, durationSec, this.ids);
  }
}
