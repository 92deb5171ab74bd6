import {
  TimelineReadError, tracksEnd,
  type EditorTimeline, type MediaRef, type TimelineClip, type TimelineMarker, type TimelineTrack,
} from './editor-timeline.ts';
import { canDropFrame, makeRate, timecodeToFrames, type FrameRate } from './timecode.ts';
import { child, childrenNamed, childText, findAll, findFirst, parseXml, type XNode } from './xml-tree.ts';
import { baseName, urlToPath } from './media-url.ts';
import { kindFromMarker, untaggedNote } from './marker-style.ts';

/** Track children the reader knows and leaves alone (links, filters, Premiere's extras). */
const KNOWN_TRACK_CHILDREN = new Set(['enabled', 'locked', 'outputchannelindex', 'name']);

interface Ctx {
  file: string;
  rate: FrameRate;
  files: Map<string, XNode>;
  mediaRefs: Map<string, MediaRef>;
  markers: TimelineMarker[];
  skipped: Map<string, { count: number; line: number }>;
}

/** `<rate><timebase>30</timebase><ntsc>TRUE</ntsc></rate>` → 30000/1001. */
function readRate(n: XNode | undefined): FrameRate | null {
  const r = n ? child(n, 'rate') : undefined;
  const tb = r ? Number(childText(r, 'timebase')) : NaN;
  if (!Number.isInteger(tb) || tb <= 0) return null;
  return (childText(r!, 'ntsc') ?? '').toUpperCase() === 'TRUE' ? makeRate(tb * 1000, 1001) : makeRate(tb);
}

function int(n: XNode, name: string, ctx: Ctx): number | null {
  const c = child(n, name);
  if (!c || c.text === '') return null;
  const v = Number(c.text);
  if (!Number.isFinite(v)) throw new TimelineReadError(`${ctx.file}: <${name}> at line ${c.line} is "${c.text}", not a frame number.`, ctx.file, c.line);
  return Math.round(v);
}

/** Frames at `from` → nearest frame at the timeline rate. */
const scale = (frames: number, from: FrameRate, to: FrameRate): number =>
  from.num * to.den === to.num * from.den ? frames : Math.round((frames * from.den * to.num) / (from.num * to.den));

/** A `<timecode>` block's start as a frame count at its own rate. */
function timecodeFrame(tc: XNode | undefined, fallback: FrameRate): number | null {
  if (!tc) return null;
  const frame = Number(childText(tc, 'frame'));
  if (Number.isFinite(frame) && childText(tc, 'frame') !== undefined) return Math.round(frame);
  const s = childText(tc, 'string');
  if (!s) return null;
  try {
    return timecodeToFrames(s, readRate(tc) ?? fallback, (childText(tc, 'displayformat') ?? '') === 'DF' ? true : undefined);
  } catch {
    return null;
  }
}

/** FCP7 writes a `<file>` in full once and then only `<file id="…"/>`. */
function fileRef(ctx: Ctx, f: XNode | undefined): MediaRef | null {
  if (!f) return null;
  const id = f.attrs.id ?? `file-line-${f.line}`;
  const known = ctx.mediaRefs.get(id);
  if (known) return known;
  const full = f.children.length ? f : ctx.files.get(id);
  if (!full) return null;
  const url = childText(full, 'pathurl') ?? null;
  const rate = readRate(full);
  const dur = int(full, 'duration', ctx);
  const tc = timecodeFrame(child(full, 'timecode'), rate ?? ctx.rate);
  const ref: MediaRef = {
    id,
    name: childText(full, 'name') || (url ? baseName(urlToPath(url) ?? url) : id),
    path: urlToPath(url),
    url,
    durationFrames: dur !== null ? scale(dur, rate ?? ctx.rate, ctx.rate) : null,
    rate,
    ...(tc !== null ? { startFrame: scale(tc, rate ?? ctx.rate, ctx.rate) } : {}),
  };
  ctx.mediaRefs.set(id, ref);
  return ref;
}

function readMarker(ctx: Ctx, m: XNode, toRecord: (frame: number) => number): void {
  const at = int(m, 'in', ctx);
  if (at === null) return;
  const out = int(m, 'out', ctx);
  const name = childText(m, 'name') ?? '';
  const note = childText(m, 'comment') ?? '';
  const { kind, strength } = kindFromMarker(name, note);
  const frame = toRecord(at);
  ctx.markers.push({
    frame,
    durationFrames: out !== null && out > at ? toRecord(out) - frame : 0,
    name,
    note: untaggedNote(note),
    color: (childText(m, 'color') ?? '').toLowerCase() || 'red',
    kind,
    ...(strength !== undefined ? { strength } : {}),
  });
}

function readTrack(ctx: Ctx, track: XNode, kind: 'video' | 'audio', index: number): TimelineTrack {
  const clips: TimelineClip[] = [];
  const trackOn = (childText(track, 'enabled') ?? 'TRUE').toUpperCase() !== 'FALSE';
  /** Where a transition puts the edit: its alignment says if the cut is at its start, middle or end. */
  const cutOf = (t: XNode | undefined): number | null => {
    if (!t || t.name !== 'transitionitem') return null;
    const ts = int(t, 'start', ctx);
    const te = int(t, 'end', ctx);
    if (ts === null || te === null) return null;
    const align = childText(t, 'alignment') ?? 'center';
    if (align === 'start' || align === 'start-black') return ts;
    if (align === 'end' || align === 'end-black') return te;
    // A centred dissolve over an odd length cuts on the earlier frame, as the editors show it.
    return ts + Math.floor((te - ts) / 2);
  };
  const items = track.children;
  for (const [idx, item] of items.entries()) {
    if (item.name === 'transitionitem') continue;
    if (item.name !== 'clipitem' && item.name !== 'generatoritem') {
      if (!KNOWN_TRACK_CHILDREN.has(item.name)) {
        const s = ctx.skipped.get(item.name);
        if (s) s.count++;
        else ctx.skipped.set(item.name, { count: 1, line: item.line });
      }
      continue;
    }
    const clipRate = readRate(item) ?? ctx.rate;
    const inF = int(item, 'in', ctx) ?? 0;
    const outF = int(item, 'out', ctx) ?? inF;
    const length = scale(outF - inF, clipRate, ctx.rate);
    let start = int(item, 'start', ctx) ?? -1;
    let end = int(item, 'end', ctx) ?? -1;
    // -1 marks an edge inside a transition: the edit is where the transition puts it, else the
    // clip's own in/out give its length.
    if (start < 0) start = cutOf(items[idx - 1]) ?? (end >= 0 ? end - length : -1);
    if (end < 0 && start >= 0) end = cutOf(items[idx + 1]) ?? start + length;
    if (start < 0 || end < start) throw new TimelineReadError(`${ctx.file}: <${item.name}> at line ${item.line} has no usable <start>/<end> (${start}, ${end}).`, ctx.file, item.line);
    const nested = child(item, 'sequence');
    const media = fileRef(ctx, child(item, 'file'));
    const sourceStart = media?.startFrame ?? 0;
    // With a transition the clip's in point includes the handle the dissolve uses.
    const sourceIn = sourceStart + scale(inF, clipRate, ctx.rate) + (int(item, 'start', ctx) === -1 ? Math.max(0, length - (end - start)) : 0);
    const clipName = childText(item, 'name') || media?.name || (nested ? childText(nested, 'name') : undefined) || item.name;
    clips.push({
      name: clipName,
      mediaId: media?.id ?? (nested ? nested.attrs.id ?? null : null),
      mediaPath: media?.path ?? null,
      sourceIn,
      sourceOut: sourceIn + (end - start),
      recordIn: start,
      recordOut: end,
      enabled: trackOn && (childText(item, 'enabled') ?? 'TRUE').toUpperCase() !== 'FALSE',
    });
    for (const m of childrenNamed(item, 'marker')) readMarker(ctx, m, (f) => start + scale(f - inF, clipRate, ctx.rate));
  }
  return { name: `${kind === 'video' ? 'V' : 'A'}${index + 1}`, kind, clips: clips.sort((a, b) => a.recordIn - b.recordIn) };
}

/** FCP7 XML (xmeml 4/5), as Premiere Pro and DaVinci Resolve export it → EditorTimeline. */
export function readXmeml(text: string, file: string): { timeline: EditorTimeline; warnings: string[] } {
  const root = parseXml(text, file);
  if (root.name !== 'xmeml') throw new TimelineReadError(`${file}: the root element is <${root.name}> at line ${root.line}, not <xmeml>; this is not a Final Cut Pro 7 / Premiere XML file.`, file, root.line);
  const warnings: string[] = [];
  const sequence = findFirst(root, 'sequence');
  if (!sequence) throw new TimelineReadError(`${file} holds no <sequence>; export a sequence (File › Export › Final Cut Pro XML), not only clips.`, file, root.line);
  const sequences = findAll(root, 'sequence');
  if (sequences.length > 1) warnings.push(`${file} holds ${sequences.length} sequences; read the first, "${childText(sequence, 'name') ?? ''}". Export one sequence to choose another.`);
  const rate = readRate(sequence);
  if (!rate) throw new TimelineReadError(`${file}: <sequence> at line ${sequence.line} has no <rate><timebase>.`, file, sequence.line);
  const files = new Map<string, XNode>();
  const collect = (n: XNode) => {
    for (const c of n.children) {
      if (c.name === 'file' && c.attrs.id && c.children.length && !files.has(c.attrs.id)) files.set(c.attrs.id, c);
      collect(c);
    }
  };
  collect(sequence);
  const ctx: Ctx = { file, rate, files, mediaRefs: new Map(), markers: [], skipped: new Map() };
  const tc = child(sequence, 'timecode');
  const dropFrame = (tc ? childText(tc, 'displayformat') ?? '' : '') === 'DF';
  if (dropFrame && !canDropFrame(rate)) warnings.push(`The sequence says drop-frame timecode at ${rate.num}/${rate.den} fps, where it does not exist; shown non-drop.`);
  const startFrame = timecodeFrame(tc, rate) ?? 0;
  const media = child(sequence, 'media');
  const video = media ? child(media, 'video') : undefined;
  const audio = media ? child(media, 'audio') : undefined;
  const videoTracks = video ? childrenNamed(video, 'track').map((t, i) => readTrack(ctx, t, 'video', i)) : [];
  const audioTracks = audio ? childrenNamed(audio, 'track').map((t, i) => readTrack(ctx, t, 'audio', i)) : [];
  for (const m of childrenNamed(sequence, 'marker')) readMarker(ctx, m, (f) => f);
  for (const [el, s] of ctx.skipped) warnings.push(`Skipped ${s.count} <${el}> element${s.count > 1 ? 's' : ''} in tracks that this reader does not know (first at line ${s.line}).`);
  if (!videoTracks.length && !audioTracks.length) warnings.push(`The sequence "${childText(sequence, 'name') ?? ''}" has no tracks.`);
  const partial = { videoTracks, audioTracks };
  const timeline: EditorTimeline = {
    name: childText(sequence, 'name') ?? '',
    rate,
    dropFrame: dropFrame && canDropFrame(rate),
    startFrame,
    durationFrames: Math.max(int(sequence, 'duration', ctx) ?? 0, tracksEnd(partial)),
    videoTracks,
    audioTracks,
    markers: ctx.markers.sort((a, b) => a.frame - b.frame),
    media: [...ctx.mediaRefs.values()],
  };
  return { timeline, warnings };
}
