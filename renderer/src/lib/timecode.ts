// Frame-aware SMPTE timecode for the ruler, the transport, drags and screen-reader labels:
// HH:MM:SS:FF, and HH:MM:SS;FF drop-frame at 29.97 and 59.94 as editors (and our markers) write it.

/** Frames counted with the nominal rate (29.97 → 30), as editors show them. */
export function nominalFps(fps: number): number {
  return fps > 0 ? Math.max(1, Math.round(fps)) : 25;
}

/** Drop-frame applies to the NTSC rates 30000/1001 and 60000/1001 only. */
export function isDropFrame(fps: number): boolean {
  return Math.abs(fps - 30000 / 1001) < 0.005 || Math.abs(fps - 60000 / 1001) < 0.005;
}

/**
 * Browsers report media time rounded to the microsecond, so a frame's start can read a hair
 * early; a thousandth of a frame of slack keeps it in its own frame (far below any real motion).
 */
const FRAME_SLACK = 1e-3;

/** Frame number a time falls in. */
export function frameAt(sec: number, fps: number): number {
  return Math.max(0, Math.floor(sec * fps + FRAME_SLACK));
}

/**
 * Frame number → timecode digits. Drop-frame skips frame numbers 0 and 1 (0–3 at 59.94) at the
 * start of every minute except each tenth, so the label tracks the wall clock.
 */
export function frameToTimecode(frame: number, fps: number): string {
  const n = nominalFps(fps);
  let f = Math.max(0, Math.floor(frame));
  const drop = isDropFrame(fps);
  if (drop) {
    const d = n === 60 ? 4 : 2;
    const perMinute = n * 60 - d;
    const perTen = perMinute * 10 + d;
    const tens = Math.floor(f / perTen);
    const rest = f % perTen;
    f += 9 * d * tens + (rest > d ? d * Math.floor((rest - d) / perMinute) : 0);
  }
  const ff = f % n;
  const totalSeconds = Math.floor(f / n);
  const p2 = (x: number): string => String(x).padStart(2, '0');
  const hh = Math.floor(totalSeconds / 3600);
  const mm = Math.floor((totalSeconds % 3600) / 60);
  const ss = totalSeconds % 60;
  return `${p2(hh)}:${p2(mm)}:${p2(ss)}${drop ? ';' : ':'}${p2(ff)}`;
}

/**
 * Timecode of a time. `mode` picks the frame the time falls in (the playhead) or the nearest
 * frame boundary (ruler ticks, markers, which sit on frame starts).
 */
export function formatTimecode(sec: number, fps: number, mode: 'floor' | 'round' = 'floor'): string {
  const t = Math.max(0, sec);
  const frame = mode === 'round' ? Math.round(t * fps) : frameAt(t, fps);
  return frameToTimecode(frame, fps);
}

/** Seconds with millisecond precision, for labels and announcements ("6.006 s"). */
export function formatSeconds(sec: number): string {
  return `${(Math.round(sec * 1000) / 1000).toFixed(3)} s`;
}
