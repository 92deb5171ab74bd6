import type { EditorTimeline, MarkerKind, TimelineMarker, TimelineTrack } from './editor-timeline.ts';
import { rateFromFps, secondsToFrames, type FrameRate } from './timecode.ts';
import { baseName } from './media-url.ts';
import type { FcpxmlVersion } from './fcpxml-reader.ts';

export type InterchangeFormat = 'fcpxml' | 'xmeml' | 'edl' | 'resolve-edl' | 'otio' | 'csv';
export const INTERCHANGE_FORMATS: InterchangeFormat[] = ['fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio', 'csv'];

/** The file name extension each format is usually saved with. */
export const INTERCHANGE_EXTENSION: Record<InterchangeFormat, string> = {
  fcpxml: '.fcpxml', xmeml: '.xml', edl: '.edl', 'resolve-edl': '.edl', otio: '.otio', csv: '.csv',
};

export interface InterchangeInput {
  /** The editor's sequence to send back; null builds a one-clip sequence from `video`. */
  timeline: EditorTimeline | null;
  /** Record-time frames at the timeline's rate (or `video.fps` when timeline is null). */
  markers: TimelineMarker[];
  /** The generated music, placed at the sequence start on a new audio track. */
  music?: { path: string; name?: string; durationSec: number; sampleRate?: number };
  /** Needed when timeline is null: the one clip the sequence plays. */
  video?: { path: string; name?: string; fps: number | FrameRate; durationSec: number; width?: number; height?: number; startFrame?: number; dropFrame?: boolean };
  fcpxmlVersion?: FcpxmlVersion;
  /** Keep only markers of these kinds. */
  kinds?: MarkerKind[];
  /** Keep only markers at least this strong; markers without a strength (the editor's own) always stay. */
  minStrength?: number;
}

/** What every writer works from: a complete timeline, the markers to write, the music in frames. */
export interface ResolvedInterchange {
  timeline: EditorTimeline;
  markers: TimelineMarker[];
  music: { path: string; name: string; frames: number; sampleRate: number } | null;
  width: number;
  height: number;
}

export class InterchangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterchangeError';
  }
}

/** A one-clip sequence for a plain video file, as an editor would make by dropping it on a timeline. */
export function singleClipTimeline(v: NonNullable<InterchangeInput['video']>): EditorTimeline {
  const rate = typeof v.fps === 'number' ? rateFromFps(v.fps) : v.fps;
  const frames = secondsToFrames(v.durationSec, rate);
  if (!(frames > 0)) throw new InterchangeError(`The video is ${v.durationSec} s long; a sequence needs at least one frame.`);
  const name = v.name ?? baseName(v.path);
  const track: TimelineTrack = {
    name: 'V1', kind: 'video',
    clips: [{ name, mediaId: 'video', mediaPath: v.path, sourceIn: 0, sourceOut: frames, recordIn: 0, recordOut: frames, enabled: true }],
  };
  return {
    name: name.replace(/\.[^.]+$/, ''),
    rate,
    dropFrame: v.dropFrame ?? false,
    startFrame: v.startFrame ?? 0,
    durationFrames: frames,
    videoTracks: [track],
    audioTracks: [],
    markers: [],
    media: [{ id: 'video', name, path: v.path, url: null, durationFrames: frames, rate, startFrame: 0 }],
  };
}

export function resolveInterchange(input: InterchangeInput): ResolvedInterchange {
  const timeline = input.timeline ?? (input.video ? singleClipTimeline(input.video) : null);
  if (!timeline) throw new InterchangeError('Nothing to write: give the editor timeline or the video (path, fps, duration).');
  const kinds = input.kinds ? new Set(input.kinds) : null;
  const min = input.minStrength ?? 0;
  const markers = input.markers
    .filter((m) => (!kinds || kinds.has(m.kind)) && (m.strength === undefined || m.strength >= min))
    .filter((m) => m.frame >= 0 && m.frame < timeline.durationFrames)
    .sort((a, b) => a.frame - b.frame);
  let music: ResolvedInterchange['music'] = null;
  if (input.music) {
    if (!(input.music.durationSec > 0)) throw new InterchangeError(`The music ${input.music.path} has no duration (${input.music.durationSec} s).`);
    music = {
      path: input.music.path,
      name: input.music.name ?? baseName(input.music.path),
      frames: Math.max(1, secondsToFrames(input.music.durationSec, timeline.rate)),
      sampleRate: input.music.sampleRate ?? 48000,
    };
  }
  return { timeline, markers, music, width: input.video?.width ?? 1920, height: input.video?.height ?? 1080 };
}
