import {
  TimelineReadError, tracksEnd,
  type EditorTimeline, type MediaRef, type TimelineClip, type TimelineMarker, type TimelineTrack,
} from './editor-timeline.ts';
import { rateFromFps, type FrameRate } from './timecode.ts';
import { baseName, urlToPath } from './media-url.ts';
import { kindFromMarker, untaggedNote } from './marker-style.ts';

type Json = Record<string, unknown>;
interface RT {
  value: number;
  rate: number;
}

const schemaOf = (o: unknown): string => (o && typeof o === 'object' ? String((o as Json).OTIO_SCHEMA ?? '') : '');
const schemaName = (o: unknown): string => schemaOf(o).split('.')[0]!;

/** OTIO's own colour names (RED, PINK, …) as ours. */
const OTIO_COLORS: Record<string, string> = {
  RED: 'red', PINK: 'pink', ORANGE: 'orange', YELLOW: 'yellow', GREEN: 'green', CYAN: 'cyan', BLUE: 'blue', PURPLE: 'purple',
  MAGENTA: 'magenta', BLACK: 'black', WHITE: 'white',
};

interface Ctx {
  file: string;
  rate: FrameRate;
  media: Map<string, MediaRef>;
  markers: TimelineMarker[];
  skipped: Map<string, number>;
}

function rt(o: unknown): RT | null {
  if (!o || typeof o !== 'object') return null;
  const { value, rate } = o as Json;
  return typeof value === 'number' && typeof rate === 'number' && rate > 0 ? { value, rate } : null;
}

/** An OTIO RationalTime (float value at a float rate) → nearest timeline frame. */
const frames = (t: RT | null, ctx: Ctx): number => (t ? Math.round((t.value * ctx.rate.num) / (t.rate * ctx.rate.den)) : 0);

function range(o: unknown): { start: RT | null; duration: RT | null } | null {
  if (!o || typeof o !== 'object') return null;
  return { start: rt((o as Json).start_time), duration: rt((o as Json).duration) };
}

function readMarkers(ctx: Ctx, list: unknown, toRecord: (f: number) => number): void {
  if (!Array.isArray(list)) return;
  for (const m of list) {
    const r = range((m as Json).marked_range);
    if (!r) continue;
    const name = String((m as Json).name ?? '');
    const meta = ((m as Json).metadata ?? {}) as Json;
    const v2m = (meta.v2m ?? {}) as Json;
    const note = String((m as Json).comment ?? '') || String(v2m.note ?? '');
    const tagged = typeof v2m.kind === 'string' ? `v2m:${v2m.kind}${typeof v2m.strength === 'number' ? `:${v2m.strength}` : ''}` : note;
    const { kind, strength } = kindFromMarker(name, tagged);
    ctx.markers.push({
      frame: toRecord(frames(r.start, ctx)),
      durationFrames: frames(r.duration, ctx),
      name,
      note: untaggedNote(note),
      color: OTIO_COLORS[String((m as Json).color ?? '').toUpperCase()] ?? String((m as Json).color ?? 'red').toLowerCase(),
      kind,
      ...(strength !== undefined ? { strength } : {}),
    });
  }
}

function mediaOf(ctx: Ctx, clip: Json): MediaRef | null {
  const refs = clip.media_references as Json | undefined;
  const ref = (refs ? refs[String(clip.active_media_reference_key ?? 'DEFAULT_MEDIA')] : clip.media_reference) as Json | undefined;
  if (!ref || schemaName(ref) === 'MissingReference') return null;
  const url = typeof ref.target_url === 'string' ? ref.target_url : typeof ref.target_url_base === 'string' ? ref.target_url_base : null;
  const id = url ?? String(ref.name ?? clip.name ?? '');
  if (!id) return null;
  const known = ctx.media.get(id);
  if (known) return known;
  const avail = range(ref.available_range);
  const m: MediaRef = {
    id,
    name: String(ref.name || '') || (url ? baseName(urlToPath(url) ?? url) : id),
    path: urlToPath(url),
    url,
    durationFrames: avail?.duration ? frames(avail.duration, ctx) : null,
    rate: avail?.duration ? rateFromFps(avail.duration.rate) : null,
    ...(avail?.start ? { startFrame: frames(avail.start, ctx) } : {}),
  };
  ctx.media.set(id, m);
  return m;
}

function readTrack(ctx: Ctx, track: Json, index: number): TimelineTrack {
  const kind = String(track.kind ?? 'Video').toLowerCase() === 'audio' ? 'audio' : 'video';
  const clips: TimelineClip[] = [];
  let at = 0;
  for (const item of (Array.isArray(track.children) ? track.children : []) as Json[]) {
    const s = schemaName(item);
    if (s === 'Transition') continue;
    if (s !== 'Clip' && s !== 'Gap' && s !== 'Stack' && s !== 'Track') {
      ctx.skipped.set(schemaOf(item) || 'unnamed', (ctx.skipped.get(schemaOf(item) || 'unnamed') ?? 0) + 1);
      continue;
    }
    const r = range(item.source_range);
    const len = r?.duration ? frames(r.duration, ctx) : 0;
    const recordIn = at;
    at += len;
    const sourceIn = r?.start ? frames(r.start, ctx) : 0;
    readMarkers(ctx, item.markers, (f) => recordIn + f - sourceIn);
    if (s === 'Gap') continue;
    const media = s === 'Clip' ? mediaOf(ctx, item) : null;
    clips.push({
      name: String(item.name ?? ''),
      mediaId: media?.id ?? null,
      mediaPath: media?.path ?? null,
      sourceIn,
      sourceOut: sourceIn + len,
      recordIn,
      recordOut: at,
      enabled: item.enabled !== false,
    });
  }
  readMarkers(ctx, track.markers, (f) => f);
  return { name: String(track.name ?? '') || `${kind === 'video' ? 'V' : 'A'}${index + 1}`, kind, clips };
}

/** The first rate a timeline states: its start time, else its first clip. */
function findRate(o: unknown): number | null {
  if (!o || typeof o !== 'object') return null;
  const j = o as Json;
  const r = range(j.source_range);
  if (r?.duration) return r.duration.rate;
  for (const c of Array.isArray(j.children) ? j.children : []) {
    const x = findRate(c);
    if (x) return x;
  }
  return null;
}

/** OpenTimelineIO JSON (.otio; Timeline.1, Stack.1, Track.1, Clip.1/2, Gap.1, Transition.1, Marker.1/2) → EditorTimeline. */
export function readOtio(text: string, file: string): { timeline: EditorTimeline; warnings: string[] } {
  if (!text.trim()) throw new TimelineReadError(`${file} is empty.`, file, null);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw new TimelineReadError(`${file} is not valid JSON${line ? ` (line ${line})` : ''}: ${(err as Error).message}. The file may be truncated; export it again.`, file, line);
  }
  const warnings: string[] = [];
  if (schemaName(doc) === 'SerializableCollection') {
    const tl = ((doc as Json).children as unknown[] | undefined)?.find((c) => schemaName(c) === 'Timeline');
    if (!tl) throw new TimelineReadError(`${file} is an OTIO collection without a Timeline.`, file, null);
    warnings.push(`${file} is a collection; read its first timeline.`);
    doc = tl;
  }
  if (schemaName(doc) !== 'Timeline') throw new TimelineReadError(`${file}: the top-level OTIO_SCHEMA is "${schemaOf(doc) || 'missing'}", not Timeline.1; this is not an OpenTimelineIO timeline.`, file, 1);
  const tl = doc as Json;
  const start = rt(tl.global_start_time);
  const fps = start?.rate ?? findRate(tl.tracks) ?? 24;
  const meta = ((tl.metadata ?? {}) as Json).v2m as Json | undefined;
  const rateText = typeof meta?.rate === 'string' ? meta.rate : null;
  const rate = rateText && /^\d+\/\d+$/.test(rateText) ? { num: Number(rateText.split('/')[0]), den: Number(rateText.split('/')[1]) } : rateFromFps(fps);
  const ctx: Ctx = { file, rate, media: new Map(), markers: [], skipped: new Map() };
  const stack = tl.tracks as Json | undefined;
  if (!stack || schemaName(stack) !== 'Stack') throw new TimelineReadError(`${file}: the timeline's "tracks" is not a Stack.1.`, file, null);
  const tracks = (Array.isArray(stack.children) ? stack.children : []) as Json[];
  const videoTracks: TimelineTrack[] = [];
  const audioTracks: TimelineTrack[] = [];
  tracks.forEach((t) => {
    if (schemaName(t) !== 'Track') {
      ctx.skipped.set(schemaOf(t) || 'unnamed', (ctx.skipped.get(schemaOf(t)) ?? 0) + 1);
      return;
    }
    const track = readTrack(ctx, t, String(t.kind).toLowerCase() === 'audio' ? audioTracks.length : videoTracks.length);
    (track.kind === 'audio' ? audioTracks : videoTracks).push(track);
  });
  readMarkers(ctx, stack.markers, (f) => f);
  for (const [s, n] of ctx.skipped) warnings.push(`Skipped ${n} item${n > 1 ? 's' : ''} of schema ${s}, which this reader does not know.`);
  const dropFrame = meta?.dropFrame === true;
  const timeline: EditorTimeline = {
    name: String(tl.name ?? ''),
    rate,
    dropFrame,
    startFrame: start ? frames(start, ctx) : 0,
    durationFrames: tracksEnd({ videoTracks, audioTracks }),
    videoTracks,
    audioTracks,
    markers: ctx.markers.sort((a, b) => a.frame - b.frame),
    media: [...ctx.media.values()],
  };
  return { timeline, warnings };
}
