import type { TimelineClip, TimelineMarker, TimelineTrack } from './editor-timeline.ts';
import { formatRate, rateToFps } from './timecode.ts';
import { pathToUrl } from './media-url.ts';
import type { ResolvedInterchange } from './interchange-input.ts';

type Json = Record<string, unknown>;

/** OTIO's colour names (Marker.color is one of these). */
const TO_OTIO: Record<string, string> = {
  red: 'RED', pink: 'PINK', orange: 'ORANGE', yellow: 'YELLOW', green: 'GREEN', cyan: 'CYAN', blue: 'BLUE', purple: 'PURPLE',
  magenta: 'MAGENTA', black: 'BLACK', white: 'WHITE',
};

/**
 * OpenTimelineIO JSON with the 0.18 schemas (Timeline.1, Stack.1, Track.1, Clip.2, Gap.1,
 * Marker.2, ExternalReference.1). Times are frames at the timeline rate; the exact rational
 * rate and drop-frame flag ride along in metadata.v2m, as OTIO stores rates as floats.
 */
export function writeOtio(x: ResolvedInterchange): string {
  const tl = x.timeline;
  const fps = rateToFps(tl.rate);
  const rt = (value: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: fps, value });
  const range = (start: number, dur: number) => ({ OTIO_SCHEMA: 'TimeRange.1', duration: rt(dur), start_time: rt(start) });
  const media = new Map(tl.media.map((m) => [m.id, m]));
  const marker = (m: TimelineMarker): Json => ({
    OTIO_SCHEMA: 'Marker.2',
    metadata: { v2m: { kind: m.kind, ...(m.strength !== undefined ? { strength: Number(m.strength.toFixed(2)) } : {}) } },
    name: m.name,
    color: TO_OTIO[m.color] ?? 'RED',
    marked_range: range(m.frame, m.durationFrames),
    comment: m.note,
  });
  const gap = (len: number): Json => ({ OTIO_SCHEMA: 'Gap.1', metadata: {}, name: '', source_range: range(0, len), effects: [], markers: [], enabled: true });
  const clip = (c: TimelineClip, url: string | null, availStart: number | null, availDur: number | null): Json => ({
    OTIO_SCHEMA: 'Clip.2',
    metadata: {},
    name: c.name,
    source_range: range(c.sourceIn, c.recordOut - c.recordIn),
    effects: [],
    markers: [],
    enabled: c.enabled,
    media_references: {
      DEFAULT_MEDIA: url
        ? { OTIO_SCHEMA: 'ExternalReference.1', metadata: {}, name: '', available_range: availDur ? range(availStart ?? 0, availDur) : null, available_image_bounds: null, target_url: url }
        : { OTIO_SCHEMA: 'MissingReference.1', metadata: {}, name: c.name, available_range: null, available_image_bounds: null },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  });
  const track = (t: TimelineTrack, kind: 'Video' | 'Audio'): Json => {
    const children: Json[] = [];
    let at = 0;
    for (const c of [...t.clips].sort((a, b) => a.recordIn - b.recordIn)) {
      if (c.recordIn < at) continue; // one OTIO track cannot hold overlapping clips
      if (c.recordIn > at) children.push(gap(c.recordIn - at));
      const m = c.mediaId ? media.get(c.mediaId) : undefined;
      const file = c.mediaPath ?? m?.path ?? null;
      children.push(clip(c, file ? pathToUrl(file) : m?.url ?? null, m?.startFrame ?? null, m?.durationFrames ?? null));
      at = c.recordOut;
    }
    return { OTIO_SCHEMA: 'Track.1', metadata: {}, name: t.name, source_range: null, effects: [], markers: [], enabled: true, children, kind };
  };
  const tracks = [...tl.videoTracks.map((t) => track(t, 'Video')), ...tl.audioTracks.map((t) => track(t, 'Audio'))];
  if (x.music) {
    const c: TimelineClip = { name: x.music.name, mediaId: null, mediaPath: x.music.path, sourceIn: 0, sourceOut: x.music.frames, recordIn: 0, recordOut: x.music.frames, enabled: true };
    tracks.push({ OTIO_SCHEMA: 'Track.1', metadata: {}, name: 'Music', source_range: null, effects: [], markers: [], enabled: true, children: [clip(c, pathToUrl(x.music.path), 0, x.music.frames)], kind: 'Audio' });
  }
  const doc = {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: { v2m: { rate: formatRate(tl.rate), dropFrame: tl.dropFrame } },
    name: tl.name || 'V2M Studio',
    global_start_time: rt(tl.startFrame),
    tracks: { OTIO_SCHEMA: 'Stack.1', metadata: {}, name: 'tracks', source_range: null, effects: [], markers: x.markers.map(marker), enabled: true, children: tracks },
  };
  return `${JSON.stringify(doc, null, 4)}\n`;
}
