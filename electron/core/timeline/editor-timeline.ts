import { framesToSeconds, type FrameRate } from './timecode.ts';

export type { FrameRate } from './timecode.ts';

/**
 * One editor's sequence, whatever application wrote it (Final Cut, Premiere, Resolve, Avid,
 * OpenTimelineIO). Every time is an integer frame count at the timeline's `rate`; a source whose
 * own rate differs is converted to the nearest timeline frame on reading (editors snap edits to
 * the sequence's frames, so this loses nothing that the editor shows).
 */
export interface EditorTimeline {
  name: string;
  rate: FrameRate;
  /** Timecode is shown drop-frame (only possible at 29.97/59.94). */
  dropFrame: boolean;
  /** The sequence's start timecode as a frame count (e.g. 01:00:00:00 at 25 fps = 90000). */
  startFrame: number;
  durationFrames: number;
  /** Bottom (main) track first: videoTracks[0] is Final Cut's spine, Premiere's V1. */
  videoTracks: TimelineTrack[];
  audioTracks: TimelineTrack[];
  /** Sequence markers and clip markers, in record time (frames from the sequence start). */
  markers: TimelineMarker[];
  media: MediaRef[];
}

export interface TimelineTrack {
  name: string;
  kind: 'video' | 'audio';
  /** Record-time order; gaps are the space between clips. */
  clips: TimelineClip[];
}

export interface TimelineClip {
  name: string;
  /** The MediaRef this clip plays, or null for a generator/title/missing reference. */
  mediaId: string | null;
  mediaPath: string | null;
  /** Source range in frames at the timeline rate, as source timecode (includes the media's startFrame), out exclusive. */
  sourceIn: number;
  sourceOut: number;
  /** Record range in frames from the sequence start, out exclusive. */
  recordIn: number;
  recordOut: number;
  enabled: boolean;
}

export type MarkerKind = 'edit' | 'cut' | 'visual-beat' | 'accent' | 'user' | 'downbeat';

export interface TimelineMarker {
  id?: string;
  /** Record-time frame from the sequence start. */
  frame: number;
  durationFrames: number;
  name: string;
  note: string;
  /** A colour name the writers map to each editor's palette (red, orange, yellow, green, cyan, blue, purple, pink, white). */
  color: string;
  kind: MarkerKind;
  /** 0..1 for rhythm markers; absent for markers that came from an editor. */
  strength?: number;
}

export interface MediaRef {
  id: string;
  name: string;
  /** Local file path when the reference is a file URL or a plain path. */
  path: string | null;
  /** The reference as written (file:// URL, http URL…), when it had one. */
  url: string | null;
  durationFrames: number | null;
  rate: FrameRate | null;
  /** The media's own start timecode in timeline frames, when the file says (source in/out count from it). */
  startFrame?: number;
}

/** The formats the readers understand. */
export type TimelineFormat = 'fcpxml' | 'xmeml' | 'edl' | 'otio';

export interface ReadTimelineResult {
  timeline: EditorTimeline;
  format: TimelineFormat;
  /** What the reader skipped or guessed, in words a user can act on. */
  warnings: string[];
}

/** A file the readers cannot make sense of: names the file, the element and the line. */
export class TimelineReadError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'TimelineReadError';
  }
}

/**
 * Record-time edit points of the main video track: every frame where one clip ends or another
 * begins, without 0 and the timeline's end, ascending and unique. A gap next to a gap is not an edit.
 */
export function editPoints(timeline: EditorTimeline): Array<{ frame: number; timeSec: number }> {
  const main = timeline.videoTracks[0];
  if (!main) return [];
  const frames = new Set<number>();
  for (const c of main.clips) {
    frames.add(c.recordIn);
    frames.add(c.recordOut);
  }
  return [...frames]
    .filter((f) => f > 0 && f < timeline.durationFrames)
    .sort((a, b) => a - b)
    .map((frame) => ({ frame, timeSec: framesToSeconds(frame, timeline.rate) }));
}

/** Duration from the tracks' ends when a format does not state it. */
export function tracksEnd(timeline: Pick<EditorTimeline, 'videoTracks' | 'audioTracks'>): number {
  let end = 0;
  for (const t of [...timeline.videoTracks, ...timeline.audioTracks]) for (const c of t.clips) end = Math.max(end, c.recordOut);
  return end;
}
