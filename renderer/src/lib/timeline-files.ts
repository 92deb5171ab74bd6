// Which dropped or typed paths are editor timelines rather than videos: the import screen sends
// them to importTimeline instead of importClip.

/** File endings of the timeline formats the engine reads (FCPXML and bundles, FCP7 XML, EDL, OTIO). */
export const TIMELINE_EXTENSIONS = ['.fcpxml', '.fcpxmld', '.xml', '.edl', '.otio'] as const;

export function isTimelinePath(p: string): boolean {
  const name = p.replace(/[\\/]+$/, '').split(/[\\/]/).pop()?.toLowerCase() ?? '';
  return TIMELINE_EXTENSIONS.some((ext) => name.endsWith(ext) && name.length > ext.length);
}

/** A project name from a file's name: "Final Cut.fcpxml" → "Final Cut". */
export function nameFromPath(p: string): string {
  return p.replace(/[\\/]+$/, '').split(/[\\/]/).pop()?.replace(/\.[^.]+$/, '') || 'Untitled';
}
