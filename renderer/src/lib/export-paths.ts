// Default file names for each export kind, next to each other in the chosen folder.

import type { ExportKind } from '../../../electron/shared/domain.ts';

export type { ExportKind };

export const EXPORT_KINDS: ReadonlyArray<{ kind: ExportKind; label: string }> = [
  { kind: 'mp4', label: 'Scored video (MP4)' },
  { kind: 'wav', label: 'Music (WAV)' },
  { kind: 'stems', label: 'Stems (WAV per part)' },
  { kind: 'midi', label: 'MIDI' },
  { kind: 'markers', label: 'Accent markers (CSV)' },
  { kind: 'fcpxml', label: 'Final Cut Pro (FCPXML)' },
  { kind: 'xmeml', label: 'Premiere Pro / Resolve (FCP7 XML)' },
  { kind: 'edl', label: 'Avid / any editor (CMX 3600 EDL)' },
  { kind: 'resolve-edl', label: 'DaVinci Resolve markers (EDL)' },
  { kind: 'otio', label: 'OpenTimelineIO (.otio)' },
];

export function exportPath(folder: string, clipPath: string, kind: ExportKind): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const dir = folder.replace(/[\\/]+$/, '');
  const base = (clipPath.split(/[\\/]/).pop() ?? 'clip').replace(/\.[^.]+$/, '') || 'clip';
  const name = {
    mp4: `${base}-scored.mp4`, wav: `${base}-music.wav`, stems: `${base}-stems`, midi: `${base}.mid`, markers: `${base}-accents.csv`,
    fcpxml: `${base}-scored.fcpxml`, xmeml: `${base}-scored.xml`, edl: `${base}-scored.edl`, 'resolve-edl': `${base}-markers-resolve.edl`, otio: `${base}-scored.otio`,
  }[kind];
  return `${dir}${sep}${name}`;
}

export function folderOf(filePath: string): string {
  const i = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return i > 0 ? filePath.slice(0, i) : filePath;
}
