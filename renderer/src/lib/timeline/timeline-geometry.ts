// Time ↔ pixel maths for the timeline. Pure, so every rule here is unit-tested.
import { lowerBound, nearestTimeIndex } from '../../../../electron/shared/sorted-search.ts';

/** What part of the clip the timeline shows and at what scale. */
export interface Viewport {
  /** Clip time at the left edge of the visible area. */
  startSec: number;
  pxPerSec: number;
  /** Width of the visible drawing area in CSS pixels. */
  widthPx: number;
  durationSec: number;
}

export const MAX_PX_PER_SEC = 4000;

export function timeToPx(t: number, vp: Viewport): number {
  return (t - vp.startSec) * vp.pxPerSec;
}

export function pxToTime(x: number, vp: Viewport): number {
  return vp.startSec + x / vp.pxPerSec;
}

/** The scale at which the whole clip fits the width; also the most zoomed-out scale. */
export function fitPxPerSec(widthPx: number, durationSec: number): number {
  if (!(durationSec > 0) || !(widthPx > 0)) return 100;
  return widthPx / durationSec;
}

export function clampPxPerSec(pxPerSec: number, widthPx: number, durationSec: number, maxPxPerSec = MAX_PX_PER_SEC): number {
  const min = Math.min(fitPxPerSec(widthPx, durationSec), maxPxPerSec);
  return Math.min(maxPxPerSec, Math.max(min, pxPerSec));
}

/** Left edge kept so the view never runs past either end of the clip. */
export function clampStart(startSec: number, vp: Pick<Viewport, 'pxPerSec' | 'widthPx' | 'durationSec'>): number {
  const maxStart = Math.max(0, vp.durationSec - vp.widthPx / vp.pxPerSec);
  return Math.min(maxStart, Math.max(0, startSec));
}

/** The clip time range on screen, clamped to the clip. */
export function visibleRange(vp: Viewport): { startSec: number; endSec: number } {
  const startSec = Math.max(0, vp.startSec);
  const endSec = Math.min(vp.durationSec, vp.startSec + vp.widthPx / vp.pxPerSec);
  return { startSec, endSec: Math.max(startSec, endSec) };
}

/** Zooms by `factor` keeping the time under `anchorPx` where it is (the pointer or the playhead). */
export function zoomAt(vp: Viewport, factor: number, anchorPx: number, maxPxPerSec = MAX_PX_PER_SEC): Viewport {
  const anchorSec = pxToTime(anchorPx, vp);
  const pxPerSec = clampPxPerSec(vp.pxPerSec * factor, vp.widthPx, vp.durationSec, maxPxPerSec);
  const startSec = clampStart(anchorSec - anchorPx / pxPerSec, { pxPerSec, widthPx: vp.widthPx, durationSec: vp.durationSec });
  return { ...vp, pxPerSec, startSec };
}

/** Scrolls just enough that `t` is inside the view with a margin (playhead follow). */
export function revealTime(vp: Viewport, t: number, marginPx = 40): number {
  const x = timeToPx(t, vp);
  if (x >= marginPx && x <= vp.widthPx - marginPx) return vp.startSec;
  const start = x < marginPx ? t - marginPx / vp.pxPerSec : t - (vp.widthPx - marginPx) / vp.pxPerSec;
  return clampStart(start, vp);
}

// Filmstrip tiles and curve samples are found by their own timestamps, not by `t / interval`: a
// variable-rate clip or a gap in decoding leaves them off the nominal grid.
export { lowerBound, nearestTimeIndex };

/** Index range [from, to) of ascending times inside [startSec, endSec], so only those are drawn. */
export function indicesInRange(sorted: ArrayLike<number>, startSec: number, endSec: number): { from: number; to: number } {
  const from = lowerBound(sorted, startSec);
  let to = lowerBound(sorted, endSec);
  while (to < sorted.length && sorted[to]! <= endSec) to++;
  return { from, to };
}

/** Index of the time nearest `t` within `tolSec`, or -1. */
export function nearestIndex(sorted: ArrayLike<number>, t: number, tolSec: number): number {
  const i = lowerBound(sorted, t);
  let best = -1;
  let bestD = tolSec;
  for (const j of [i - 1, i]) {
    if (j < 0 || j >= sorted.length) continue;
    const d = Math.abs(sorted[j]! - t);
    if (d <= bestD) {
      best = j;
      bestD = d;
    }
  }
  return best;
}

export interface SnapOptions {
  fps: number;
  pxPerSec: number;
  /** Pull distance in pixels: a nearby target wins over the frame grid. */
  thresholdPx?: number;
  /** Other markers to snap to (ascending). */
  targets?: ArrayLike<number>;
  /** Beats per minute of a locked tempo; its grid starts at 0 s. */
  bpm?: number | null;
  durationSec: number;
}

export type SnapKind = 'frame' | 'target' | 'beat';

/**
 * Where a dragged marker lands: the nearest target (cut) or beat within the pull distance,
 * otherwise the nearest frame boundary; always inside the clip.
 */
export function snapTime(t: number, o: SnapOptions): { timeSec: number; kind: SnapKind } {
  const tol = (o.thresholdPx ?? 8) / o.pxPerSec;
  let best: { timeSec: number; kind: SnapKind; d: number } | null = null;
  if (o.targets && o.targets.length) {
    const i = nearestIndex(o.targets, t, tol);
    if (i >= 0) best = { timeSec: o.targets[i]!, kind: 'target', d: Math.abs(o.targets[i]! - t) };
  }
  if (o.bpm && o.bpm > 0) {
    const beat = 60 / o.bpm;
    const b = Math.round(t / beat) * beat;
    const d = Math.abs(b - t);
    if (d <= tol && (!best || d < best.d)) best = { timeSec: b, kind: 'beat', d };
  }
  const clamp = (x: number): number => Math.min(o.durationSec, Math.max(0, x));
  if (best) return { timeSec: clamp(best.timeSec), kind: best.kind };
  return { timeSec: clamp(snapToFrame(t, o.fps)), kind: 'frame' };
}

/** Nearest frame start (times are frame-exact, like the cuts the analysis reports). */
export function snapToFrame(t: number, fps: number): number {
  if (!(fps > 0)) return t;
  // Rounded to the microsecond so 6.006 stays 6.006 and not 6.006000000000001.
  return Math.round(Math.round(t * fps) / fps * 1e6) / 1e6;
}

/**
 * A curve sampled at its own (possibly irregular) times, reduced to one value per pixel column:
 * the largest, so a one-frame peak still shows when many frames share a pixel. Only the visible
 * samples (and one either side, for the line into the view) are visited.
 */
export function curveColumns(times: ArrayLike<number>, values: ArrayLike<number>, vp: Viewport): { x: number[]; v: number[] } {
  if (times.length !== values.length) throw new RangeError(`curveColumns: ${values.length} values but ${times.length} times.`);
  const { startSec, endSec } = visibleRange(vp);
  const from = Math.max(0, lowerBound(times, startSec) - 1);
  const to = Math.min(times.length, lowerBound(times, endSec) + 1);
  const x: number[] = [];
  const v: number[] = [];
  for (let i = from; i < to; i++) {
    const px = Math.round(timeToPx(times[i]!, vp));
    const val = values[i]!;
    if (x.length && x[x.length - 1] === px) v[v.length - 1] = Math.max(v[v.length - 1]!, val);
    else {
      x.push(px);
      v.push(val);
    }
  }
  return { x, v };
}
