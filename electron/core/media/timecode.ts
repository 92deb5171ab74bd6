/** SMPTE-style HH:MM:SS:FF for a media time at a frame rate (non-drop), as editors type it. */
export function formatTimecode(sec: number, fps: number): string {
  const rate = Math.max(1, Math.round(fps));
  const totalFrames = Math.round(sec * fps);
  const ff = totalFrames % rate;
  const totalSec = Math.floor(totalFrames / rate);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSec / 3600))}:${pad(Math.floor((totalSec % 3600) / 60))}:${pad(totalSec % 60)}:${pad(ff)}`;
}
