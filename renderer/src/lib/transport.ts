// J/K/L shuttle, space and frame stepping, as in most editors.
import { frameAt } from './timecode.ts';

export const MAX_SHUTTLE = 8;

export type TransportKey = 'j' | 'k' | 'l' | 'space';

export function nextRate(rate: number, key: TransportKey): number {
  switch (key) {
    case 'k':
      return 0;
    case 'space':
      return rate === 0 ? 1 : 0;
    case 'l':
      return rate <= 0 ? 1 : Math.min(MAX_SHUTTLE, rate * 2);
    case 'j':
      return rate >= 0 ? -1 : Math.max(-MAX_SHUTTLE, rate * 2);
  }
}

/**
 * Where the clip's frames start. Constant-rate clips count frames at `fps`; a variable-rate clip
 * uses the frames' own presentation times from the analysis, so stepping visits every frame
 * exactly once wherever the rate changes.
 */
export interface FrameGrid {
  fps: number;
  durationSec: number;
  /** Ascending frame start times (VFR); null for constant rate. */
  frameTimes: ArrayLike<number> | null;
}

/** Slack for a VFR frame time read back rounded to the microsecond. */
const TIME_SLACK = 2e-6;

export function frameCount(g: FrameGrid): number {
  if (g.frameTimes && g.frameTimes.length) return g.frameTimes.length;
  return Math.max(1, Math.ceil(g.durationSec * g.fps - 1e-6));
}

/** Index of the frame showing at `t`. */
export function frameIndexAt(g: FrameGrid, t: number): number {
  const times = g.frameTimes;
  if (!times || times.length === 0) return Math.min(frameCount(g) - 1, frameAt(t, g.fps));
  let lo = 0;
  let hi = times.length - 1;
  if (t + TIME_SLACK < times[0]!) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t + TIME_SLACK) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Start time of frame `k`. */
export function frameStart(g: FrameGrid, k: number): number {
  const times = g.frameTimes;
  if (times && times.length) return times[Math.min(times.length - 1, Math.max(0, k))]!;
  return Math.max(0, k) / g.fps;
}

/** The start of the frame `n` frames away from the one showing at `t`, inside the clip. */
export function stepFrames(g: FrameGrid, t: number, n: number): number {
  const k = Math.min(frameCount(g) - 1, Math.max(0, frameIndexAt(g, t) + n));
  return frameStart(g, k);
}

/**
 * The time to give the media element for a frame start: rounded up to the microsecond the
 * browser keeps, so the element never settles on the frame before.
 */
export function mediaTimeFor(t: number): number {
  return Math.ceil(t * 1e6 - 1e-3) / 1e6;
}

/** Keys the editor handles itself must not fire while the user types in a field. */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!el || typeof (el as Element).closest !== 'function') return false;
  const e = el as HTMLElement;
  if (e.isContentEditable) return true;
  const input = e.closest('input, textarea, select');
  if (!input) return false;
  const type = (input as HTMLInputElement).type;
  return !(input.tagName === 'INPUT' && ['checkbox', 'radio', 'range', 'button'].includes(type));
}

/**
 * Controls a mouse click leaves focused: a later Space or Enter must not press them again
 * (text fields keep focus; keyboard focus by Tab is untouched because only clicks are handled).
 */
export function shouldReleaseFocusAfterClick(el: EventTarget | null): boolean {
  if (!el || typeof (el as Element).closest !== 'function') return false;
  const control = (el as HTMLElement).closest('button, [role="button"], [role="radio"], summary, input[type="checkbox"], input[type="radio"], input[type="range"], a[href]');
  return control !== null;
}
