// Frame-aware timecode for the ruler, the transport and screen-reader labels.

/** Frames counted with the nominal rate (29.97 → 30, non-drop), as editors show them. */
export function nominalFps(fps: number): number {
  return fps > 0 ? Math.max(1, Math.round(fps)) : 25;
}

/**
 * Non-drop-frame timecode "MM:SS:FF" ("H:MM:SS:FF" past an hour): frames are counted and grouped
 * by the nominal rate, as editors show them. `mode` picks the frame a time falls in (the
 * playhead) or the nearest frame boundary (ruler ticks).
 */
export function formatTimecode(sec: number, fps: number, mode: 'floor' | 'round' = 'floor'): string {
  const t = Math.max(0, sec);
  const frameIndex = mode === 'round' ? Math.round(t * fps) : Math.floor(t * fps + 1e-6);
  const nominal = nominalFps(fps);
  const ff = frameIndex % nominal;
  const totalSeconds = Math.floor(frameIndex / nominal);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${h > 0 ? `${h}:` : ''}${p2(m)}:${p2(s)}:${p2(ff)}`;
}

/** Seconds with millisecond precision, for labels and announcements ("6.006 s"). */
export function formatSeconds(sec: number): string {
  return `${(Math.round(sec * 1000) / 1000).toFixed(3)} s`;
}

/** Frame number a time falls in. */
export function frameAt(sec: number, fps: number): number {
  return Math.floor(sec * fps + 1e-6);
}
