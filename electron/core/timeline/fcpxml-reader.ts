import {
  TimelineReadError, tracksEnd,
  type EditorTimeline, type MediaRef, type TimelineClip, type TimelineMarker, type TimelineTrack,
} from './editor-timeline.ts';
import { canDropFrame, makeRate, type FrameRate } from './timecode.ts';
import { child, childrenNamed, findAll, findFirst, parseXml, type XNode } from './xml-tree.ts';
import { baseName, urlToPath } from './media-url.ts';
import { kindFromMarker, untaggedNote } from './marker-style.ts';

/** Exact rational seconds on bigints: FCPXML times like 2596698013/720000s overflow nothing. */
interface Q {
  n: bigint;
  d: bigint;
}
const ZERO: Q = { n: 0n, d: 1n };
const sub = (a: Q, b: Q): Q => ({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });

export const FCPXML_VERSIONS = ['1.8', '1.9', '1.10', '1.11'] as const;
export type FcpxmlVersion = (typeof FCPXML_VERSIONS)[number];

/** Spine and storyline items that occupy time; everything here becomes a clip except gaps. */
const CLIP_ELEMENTS = new Set(['asset-clip', 'clip', 'ref-clip', 'sync-clip', 'mc-clip', 'title', 'video', 'audio', 'live-drawing']);
/** Elements the reader knows and deliberately does not turn into clips or markers. */
const KNOWN_IGNORED = new Set([
  'transition', 'note', 'keyword', 'rating', 'metadata', 'md', 'filter-video', 'filter-audio', 'filter-video-mask', 'param',
  'conform-rate', 'timeMap', 'timept', 'audio-channel-source', 'audio-role-source', 'adjust-crop', 'adjust-corners',
  'adjust-conform', 'adjust-transform', 'adjust-blend', 'adjust-stabilization', 'adjust-rollingShutter', 'adjust-360-transform',
  'adjust-reorient', 'adjust-orientation', 'adjust-cinematic', 'adjust-colorConform', 'adjust-volume', 'adjust-panner',
  'adjust-loudness', 'adjust-noiseReduction', 'adjust-humReduction', 'adjust-EQ', 'adjust-matchEQ', 'adjust-voiceIsolation',
  'text', 'text-style-def', 'text-style', 'analysis-marker', 'mc-source', 'sync-source', 'caption', 'object-tracker', 'bookmark',
  'crop-rect', 'trim-rect', 'pan-rect', 'data', 'reserved', 'keyframeAnimation', 'keyframe', 'fadeIn', 'fadeOut', 'mute',
]);

function parseTime(s: string | undefined, what: string, node: XNode, file: string): Q {
  if (s === undefined || s === '') return ZERO;
  const m = /^(-?\d+)(?:\/(\d+))?s$/.exec(s.trim());
  if (!m || m[2] === '0') throw new TimelineReadError(`${file}: <${node.name}> at line ${node.line} has ${what}="${s}", which is not an FCPXML time like "1001/30000s".`, file, node.line);
  return { n: BigInt(m[1]!), d: BigInt(m[2] ?? '1') };
}

/** Rational seconds → nearest frame at the timeline rate (half away from zero). */
function qFrames(q: Q, r: FrameRate): number {
  const num = q.n * BigInt(r.num);
  const den = q.d * BigInt(r.den);
  const sign = (num < 0n) !== (den < 0n) ? -1n : 1n;
  const an = num < 0n ? -num : num;
  const ad = den < 0n ? -den : den;
  return Number(sign * ((2n * an + ad) / (2n * ad)));
}

/** Final Cut's format names carry the rate when frameDuration is left out (FFVideoFormat1080p2997). */
function rateFromFormatName(name: string): FrameRate | null {
  const m = /(?:p|i)(2398|23976|24|25|2997|30|50|5994|60|100|11988|120)$/.exec(name);
  if (!m) return null;
  const table: Record<string, [number, number]> = {
    '2398': [24000, 1001], '23976': [24000, 1001], '24': [24, 1], '25': [25, 1], '2997': [30000, 1001], '30': [30, 1],
    '50': [50, 1], '5994': [60000, 1001], '60': [60, 1], '100': [100, 1], '11988': [120000, 1001], '120': [120, 1],
  };
  const [num, den] = table[m[1]!]!;
  // Interlaced names count fields; the frame rate is half.
  return name.includes(`i${m[1]}`) ? makeRate(num, den * 2) : makeRate(num, den);
}

interface Ctx {
  file: string;
  rate: FrameRate;
  formats: Map<string, XNode>;
  assets: Map<string, XNode>;
  medias: Map<string, XNode>;
  effects: Map<string, XNode>;
  mediaRefs: Map<string, MediaRef>;
  lanes: Map<number, TimelineClip[]>;
  markers: TimelineMarker[];
  skipped: Map<string, { count: number; line: number }>;
}

function skip(ctx: Ctx, n: XNode): void {
  const s = ctx.skipped.get(n.name);
  if (s) s.count++;
  else ctx.skipped.set(n.name, { count: 1, line: n.line });
}

function formatRate(ctx: Ctx, formatId: string | undefined): FrameRate | null {
  const f = formatId ? ctx.formats.get(formatId) : undefined;
  if (!f) return null;
  const fd = f.attrs.frameDuration;
  if (fd) {
    const q = parseTime(fd, 'frameDuration', f, ctx.file);
    if (q.n > 0n) return makeRate(Number(q.d), Number(q.n));
  }
  return rateFromFormatName(f.attrs.name ?? '');
}

/** The MediaRef for an asset or compound (`media`) id, made once per id. */
function mediaRef(ctx: Ctx, id: string | undefined): MediaRef | null {
  if (!id) return null;
  const known = ctx.mediaRefs.get(id);
  if (known) return known;
  const asset = ctx.assets.get(id);
  const media = ctx.medias.get(id);
  if (!asset && !media) return null;
  const node = (asset ?? media)!;
  const src = asset ? (asset.attrs.src ?? childrenNamed(asset, 'media-rep').find((r) => (r.attrs.kind ?? 'original-media') === 'original-media')?.attrs.src ?? null) : null;
  const dur = asset?.attrs.duration ?? (media ? findFirst(media, 'sequence')?.attrs.duration : undefined);
  const ref: MediaRef = {
    id,
    name: node.attrs.name ?? (src ? baseName(src) : id),
    path: urlToPath(src),
    url: src,
    durationFrames: dur ? qFrames(parseTime(dur, 'duration', node, ctx.file), ctx.rate) : null,
    rate: asset ? formatRate(ctx, asset.attrs.format) : null,
  };
  ctx.mediaRefs.set(id, ref);
  return ref;
}

/** The media a clip plays: its own ref, or for `clip`/`sync-clip` the first inner video/audio/asset-clip. */
function clipMedia(ctx: Ctx, n: XNode): MediaRef | null {
  if (n.name === 'asset-clip' || n.name === 'ref-clip' || n.name === 'video' || n.name === 'audio') return mediaRef(ctx, n.attrs.ref);
  if (n.name === 'mc-clip') return mediaRef(ctx, n.attrs.ref);
  for (const c of n.children) {
    if (c.attrs.lane !== undefined) continue;
    if (['video', 'audio', 'asset-clip', 'ref-clip', 'clip', 'sync-clip'].includes(c.name)) {
      const r = clipMedia(ctx, c);
      if (r) return r;
    }
    if (c.name === 'spine' || c.name === 'gap') {
      for (const cc of c.children) {
        const r = CLIP_ELEMENTS.has(cc.name) ? clipMedia(ctx, cc) : null;
        if (r) return r;
      }
    }
  }
  return null;
}

function isAudioOnly(ctx: Ctx, n: XNode, media: MediaRef | null): boolean {
  if (n.name === 'audio') return true;
  if (n.attrs.srcEnable === 'audio') return true;
  const asset = media ? ctx.assets.get(media.id) : undefined;
  return asset ? asset.attrs.hasVideo !== '1' && asset.attrs.hasAudio === '1' : false;
}

/**
 * Reads one spine or storyline item placed at `recordIn` (frames). Adds its markers and its
 * connected clips (children with a lane) and returns the clip, or null for a gap.
 */
function readItem(ctx: Ctx, n: XNode, recordIn: number, recordOut: number): TimelineClip | null {
  const start = parseTime(n.attrs.start, 'start', n, ctx.file);
  for (const c of n.children) {
    if (c.name === 'marker' || c.name === 'chapter-marker') {
      const at = parseTime(c.attrs.start, 'start', c, ctx.file);
      const note = c.attrs.note ?? '';
      const name = c.attrs.value ?? '';
      const { kind, strength } = kindFromMarker(name, note);
      ctx.markers.push({
        frame: recordIn + qFrames(sub(at, start), ctx.rate),
        durationFrames: qFrames(parseTime(c.attrs.duration, 'duration', c, ctx.file), ctx.rate),
        name,
        note: untaggedNote(note),
        // Final Cut has no marker colours, only types; these are the colours it shows them in.
        color: c.name === 'chapter-marker' ? 'orange' : c.attrs.completed === '0' ? 'red' : c.attrs.completed === '1' ? 'green' : 'purple',
        kind,
        ...(strength !== undefined ? { strength } : {}),
      });
    } else if (c.attrs.lane !== undefined && (CLIP_ELEMENTS.has(c.name) || c.name === 'spine' || c.name === 'gap')) {
      const lane = Number(c.attrs.lane);
      const at = recordIn + qFrames(sub(parseTime(c.attrs.offset, 'offset', c, ctx.file), start), ctx.rate);
      if (c.name === 'spine') readSpine(ctx, c, at, ZERO, lane);
      else {
        const out = recordIn + qFrames(sub(add(parseTime(c.attrs.offset, 'offset', c, ctx.file), parseTime(c.attrs.duration, 'duration', c, ctx.file)), start), ctx.rate);
        const clip = readItem(ctx, c, at, out);
        if (clip) laneOf(ctx, lane, isAudioOnly(ctx, c, clipMedia(ctx, c))).push(clip);
      }
    } else if (!CLIP_ELEMENTS.has(c.name) && c.name !== 'gap' && c.name !== 'spine' && !KNOWN_IGNORED.has(c.name)) {
      skip(ctx, c);
    }
  }
  if (n.name === 'gap') return null;
  const media = clipMedia(ctx, n);
  const sourceIn = qFrames(start, ctx.rate);
  return {
    name: n.attrs.name ?? media?.name ?? n.name,
    mediaId: media?.id ?? null,
    mediaPath: media?.path ?? null,
    sourceIn,
    sourceOut: sourceIn + (recordOut - recordIn),
    recordIn,
    recordOut,
    enabled: n.attrs.enabled !== '0',
  };
}

/** Lanes keep their number; an audio-only clip on a positive lane still goes with the audio. */
function laneOf(ctx: Ctx, lane: number, audioOnly: boolean): TimelineClip[] {
  const key = audioOnly && lane > 0 ? -1000 - lane : lane;
  let list = ctx.lanes.get(key);
  if (!list) ctx.lanes.set(key, (list = []));
  return list;
}

/**
 * A spine's items follow one another; each `offset` is in the parent's time, counted from
 * `origin` (the sequence's tcStart for the main spine, 0 inside a storyline).
 */
function readSpine(ctx: Ctx, spine: XNode, recordBase: number, origin: Q, lane: number): void {
  const target = lane === 0 ? null : laneOf(ctx, lane, false);
  for (const item of spine.children) {
    if (item.name === 'transition') continue;
    if (!CLIP_ELEMENTS.has(item.name) && item.name !== 'gap') {
      if (!KNOWN_IGNORED.has(item.name)) skip(ctx, item);
      continue;
    }
    const offset = parseTime(item.attrs.offset, 'offset', item, ctx.file);
    const dur = parseTime(item.attrs.duration, 'duration', item, ctx.file);
    const recordIn = recordBase + qFrames(sub(offset, origin), ctx.rate);
    const recordOut = recordBase + qFrames(sub(add(offset, dur), origin), ctx.rate);
    const clip = readItem(ctx, item, recordIn, recordOut);
    if (clip) (target ?? laneOf(ctx, 0, false)).push(clip);
  }
}

/** FCPXML 1.8–1.11 (Final Cut Pro 10.4–10.6+) → EditorTimeline. */
export function readFcpxml(text: string, file: string): { timeline: EditorTimeline; warnings: string[] } {
  const root = parseXml(text, file);
  if (root.name !== 'fcpxml') throw new TimelineReadError(`${file}: the root element is <${root.name}> at line ${root.line}, not <fcpxml>; this is not a Final Cut Pro XML file.`, file, root.line);
  const warnings: string[] = [];
  const version = root.attrs.version ?? '';
  const vm = /^1\.(\d+)$/.exec(version);
  if (!vm) throw new TimelineReadError(`${file}: <fcpxml> at line ${root.line} has version "${version}", which this reader does not know (it reads 1.8–1.11).`, file, root.line);
  const minor = Number(vm[1]);
  if (minor > 11) throw new TimelineReadError(`${file}: FCPXML version ${version} (line ${root.line}) is newer than this reader knows (1.8–1.11). In Final Cut, export with File › Export XML and choose version 1.11 or earlier.`, file, root.line);
  if (minor < 8) warnings.push(`FCPXML ${version} is older than 1.8; read as 1.8, so check the result.`);

  const resources = child(root, 'resources');
  const byId = (name: string) => new Map((resources ? childrenNamed(resources, name) : []).map((n) => [n.attrs.id ?? '', n] as const));
  const project = findFirst(root, 'project');
  let sequence = project ? child(project, 'sequence') : undefined;
  let name = project?.attrs.name ?? '';
  const projects = findAll(root, 'project');
  if (projects.length > 1) warnings.push(`${file} holds ${projects.length} projects; read the first, "${name}". Export one project to choose another.`);
  if (!sequence) {
    // An event with loose clips and no project: use the first compound clip on its own, as Final Cut opens it.
    const refClip = findFirst(root, 'ref-clip');
    const media = refClip ? byId('media').get(refClip.attrs.ref ?? '') : undefined;
    sequence = media ? child(media, 'sequence') : undefined;
    if (!sequence) throw new TimelineReadError(`${file} holds no project (no <project><sequence>); export a project or a compound clip from Final Cut, not only event clips.`, file, root.line);
    name = media!.attrs.name ?? refClip!.attrs.name ?? 'Compound clip';
    warnings.push(`${file} holds no project; read the compound clip "${name}" instead.`);
  }
  const ctx: Ctx = {
    file, rate: { num: 25, den: 1 }, formats: byId('format'), assets: byId('asset'), medias: byId('media'), effects: byId('effect'),
    mediaRefs: new Map(), lanes: new Map([[0, []]]), markers: [], skipped: new Map(),
  };
  const rate = formatRate(ctx, sequence.attrs.format);
  if (!rate) throw new TimelineReadError(`${file}: <sequence> at line ${sequence.line} names format "${sequence.attrs.format ?? ''}", which has no frame rate in <resources>.`, file, sequence.line);
  ctx.rate = rate;
  const tcStart = parseTime(sequence.attrs.tcStart, 'tcStart', sequence, file);
  const dropFrame = sequence.attrs.tcFormat === 'DF';
  if (dropFrame && !canDropFrame(rate)) warnings.push(`The sequence says drop-frame timecode at ${rate.num}/${rate.den} fps, where it does not exist; shown non-drop.`);
  const spine = child(sequence, 'spine');
  if (!spine) throw new TimelineReadError(`${file}: <sequence> at line ${sequence.line} has no <spine>.`, file, sequence.line);
  readSpine(ctx, spine, 0, tcStart, 0);
  for (const [el, s] of ctx.skipped) warnings.push(`Skipped ${s.count} <${el}> element${s.count > 1 ? 's' : ''} this reader does not know (first at line ${s.line}).`);

  const lanes = [...ctx.lanes.entries()];
  const byRecord = (a: TimelineClip, b: TimelineClip) => a.recordIn - b.recordIn;
  const videoTracks: TimelineTrack[] = lanes.filter(([l]) => l >= 0).sort((a, b) => a[0] - b[0])
    .map(([l, clips]) => ({ name: l === 0 ? 'Primary storyline' : `Lane ${l}`, kind: 'video' as const, clips: clips.sort(byRecord) }));
  const audioTracks: TimelineTrack[] = lanes.filter(([l]) => l < 0).sort((a, b) => b[0] - a[0])
    .map(([l, clips]) => ({ name: l > -1000 ? `Lane ${l}` : `Lane ${-1000 - l} (audio)`, kind: 'audio' as const, clips: clips.sort(byRecord) }));
  const partial = { videoTracks, audioTracks };
  const seqDur = sequence.attrs.duration ? qFrames(parseTime(sequence.attrs.duration, 'duration', sequence, file), rate) : 0;
  const timeline: EditorTimeline = {
    name,
    rate,
    dropFrame: dropFrame && canDropFrame(rate),
    startFrame: qFrames(tcStart, rate),
    durationFrames: seqDur || tracksEnd(partial),
    videoTracks,
    audioTracks,
    markers: ctx.markers.sort((a, b) => a.frame - b.frame),
    media: [...ctx.mediaRefs.values()],
  };
  return { timeline, warnings };
}
