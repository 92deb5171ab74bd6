/** Human-readable time for CLI output: H:MM:SS.mmm or M:SS.mmm. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** SMPTE-like timecode HH:MM:SS:FF for a time at a frame rate (non-drop). */
export function formatTimecode(sec: number, fps: number): string {
  const rate = Math.max(1, Math.round(fps));
  const totalFrames = Math.round(sec * fps);
  const ff = totalFrames % rate;
  const totalSec = Math.floor(totalFrames / rate);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSec / 3600))}:${pad(Math.floor((totalSec % 3600) / 60))}:${pad(totalSec % 60)}:${pad(ff)}`;
}
