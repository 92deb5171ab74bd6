import { framesToTimecode, rateFromFps } from '../timeline/timecode.ts';

/**
 * SMPTE HH:MM:SS:FF for a media time at a frame rate, as editors type it (`;` before the
 * frames when drop-frame). The maths lives in core/timeline/timecode.ts.
 */
export function formatTimecode(sec: number, fps: number, dropFrame = false): string {
  const f = Number.isFinite(fps) && fps > 0 ? fps : 1;
  return framesToTimecode(Math.max(0, Math.round(sec * f)), rateFromFps(f), dropFrame);
}
