import { framesToSeconds, framesToTimecode } from './timecode.ts';
import type { ResolvedInterchange } from './interchange-input.ts';

const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A marker list for spreadsheets and scripts: the columns of the app's earlier CSV
 * (name, kind, time_seconds, timecode — HH:MM:SS:FF, `;` before the frames when drop-frame,
 * counted from the sequence start timecode) plus frame, strength, colour and duration.
 */
export function writeMarkersCsv(x: ResolvedInterchange): string {
  const tl = x.timeline;
  const lines = ['name,kind,time_seconds,timecode,frame,strength,color,duration_frames'];
  for (const m of x.markers) {
    lines.push([
      cell(m.name), m.kind, framesToSeconds(m.frame, tl.rate).toFixed(6),
      framesToTimecode(tl.startFrame + m.frame, tl.rate, tl.dropFrame), String(m.frame), m.strength === undefined ? '' : m.strength.toFixed(2), m.color, String(m.durationFrames),
    ].join(','));
  }
  return `${lines.join('\n')}\n`;
}
