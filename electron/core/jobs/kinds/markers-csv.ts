import type { RhythmPlan as TimelinePlan } from '../../../shared/domain.ts';
import { formatTimecode } from '../../media/timecode.ts';

/**
 * The plan's cuts and accents as a marker list (one row each, in time order); timecode is
 * HH:MM:SS:FF, with `;` before the frames when drop-frame. The editor formats (FCPXML, EDL, …)
 * come from core/timeline's writeInterchange.
 */
export function markersCsv(plan: TimelinePlan, fps: number, dropFrame = false): string {
  const rows = [
    ...plan.cuts.map((c) => ({ t: c.timeSec, kind: 'cut' })),
    ...plan.accents.map((a) => ({ t: a.timeSec, kind: 'accent' })),
  ].sort((a, b) => a.t - b.t || a.kind.localeCompare(b.kind));
  const lines = ['name,kind,time_seconds,timecode'];
  rows.forEach((r, i) => lines.push(`${r.kind === 'cut' ? 'Cut' : 'Accent'} ${i + 1},${r.kind},${r.t.toFixed(6)},${formatTimecode(r.t, fps, dropFrame)}`));
  return `${lines.join('\n')}\n`;
}
