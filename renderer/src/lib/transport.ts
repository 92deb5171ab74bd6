// J/K/L shuttle and space, as in most editors: L and J speed up in their direction, K stops.

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

/** The time `n` frames away from the frame `t` falls in, on a frame boundary, inside the clip. */
export function stepFrames(t: number, n: number, fps: number, durationSec: number): number {
  const frame = Math.floor(t * fps + 1e-6) + n;
  const last = Math.max(0, Math.ceil(durationSec * fps) - 1);
  return Math.min(last, Math.max(0, frame)) / fps;
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
