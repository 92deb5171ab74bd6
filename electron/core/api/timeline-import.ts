import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { conformTimeline, probe, type ConformSegment } from '../media/index.ts';
import { normalizePlan, planFromAnalysis, type RhythmPlan as FullRhythmPlan, type RhythmPlanner } from '../rhythm/index.ts';
import { editPoints, framesToSeconds, planMarkers, rateToFps, type EditorTimeline, type PlanLike, type TimelineMarker } from '../timeline/index.ts';
import type { VideoAnalysis } from '../video/video-analysis.ts';

// How an editor's timeline becomes a project clip: which media it needs, where to find it, the
// picture to analyse, and the plan (its own edit points as cuts, its markers as user accents).

export interface MediaStatus {
  id: string;
  name: string;
  path: string | null;
  found: boolean;
}

const isFile = (p: string | null): boolean => {
  if (!p) return false;
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Enabled clips of the main video track in record order, overlaps trimmed to what is seen. */
function mainClips(t: EditorTimeline) {
  return (t.videoTracks[0]?.clips ?? []).filter((c) => c.enabled && c.recordOut > c.recordIn).sort((a, b) => a.recordIn - b.recordIn);
}

const clipPath = (t: EditorTimeline, c: { mediaId: string | null; mediaPath: string | null }): string | null =>
  c.mediaPath ?? (c.mediaId ? t.media.find((m) => m.id === c.mediaId)?.path ?? null : null);

/**
 * The media the picture needs (what the main track plays), each with whether its file is there.
 * A clip naming no file is a title or generator (black in the picture), except in a timeline that
 * names no files at all (an EDL): there every clip is offline until relinked by its name.
 */
export function mainTrackMedia(t: EditorTimeline): MediaStatus[] {
  const clips = mainClips(t);
  const namesNoFiles = clips.length > 0 && clips.every((c) => !clipPath(t, c));
  const seen = new Map<string, MediaStatus>();
  for (const c of clips) {
    const p = clipPath(t, c);
    if (!p && !namesNoFiles) continue;
    const ref = c.mediaId ? t.media.find((m) => m.id === c.mediaId) : undefined;
    const key = p ?? `clip:${c.name}`;
    if (seen.has(key)) continue;
    seen.set(key, { id: p ? (ref?.id ?? key) : key, name: p ? (ref?.name ?? c.name) : c.name, path: p, found: isFile(p) });
  }
  return [...seen.values()];
}

/**
 * Segments for the conform: each clip from its source in-point, gaps (and clips with no media,
 * such as titles) as black. Refuses when a source file is missing: a silent black hole where the
 * picture should be would mislead the analysis.
 */
export function conformSegments(t: EditorTimeline): { segments: ConformSegment[]; warnings: string[] } {
  const segments: ConformSegment[] = [];
  const warnings: string[] = [];
  const missing: string[] = [];
  let at = 0;
  for (const c of mainClips(t)) {
    const start = Math.max(c.recordIn, at);
    const end = Math.min(c.recordOut, t.durationFrames);
    if (end <= start) continue;
    if (start > at) segments.push({ path: null, sourceStartSec: 0, frames: start - at });
    const p = clipPath(t, c);
    if (p && !isFile(p)) missing.push(`${c.name} (${p})`);
    if (!p) warnings.push(`"${c.name}" at ${framesToSeconds(c.recordIn, t.rate).toFixed(2)} s has no media file (a title or generator?); it is black in the analysed picture.`);
    // Source in-points count in source timecode; the media's own start (when the reader knows it) is frame 0 of the file.
    const mediaStart = (c.mediaId ? t.media.find((m) => m.id === c.mediaId)?.startFrame : undefined) ?? 0;
    segments.push({ path: p, sourceStartSec: framesToSeconds(c.sourceIn - mediaStart + (start - c.recordIn), t.rate), frames: end - start });
    at = end;
  }
  if (missing.length) throw new Error(`These media files are offline: ${missing.join(', ')}. Relink them (search a folder) or point at a rendered reference movie.`);
  if (at < t.durationFrames) segments.push({ path: null, sourceStartSec: 0, frames: t.durationFrames - at });
  return { segments, warnings };
}

/**
 * Every file under `folder` (a few levels deep, bounded), by lower-case file name and by name
 * without extension (an EDL names clips, not files: "sq001_s001" finds sq001_s001.mov).
 */
function filesByName(folder: string, maxDepth = 6, maxEntries = 50_000): Map<string, string> {
  const out = new Map<string, string>();
  const stems = new Map<string, string>();
  let budget = maxEntries;
  const walk = (dir: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (--budget < 0) return;
      const full = path.join(dir, e.name);
      if (e.isFile()) {
        const k = e.name.toLowerCase();
        if (!out.has(k)) out.set(k, full);
        const stem = k.replace(/\.[^.]+$/, '');
        if (stem !== k && !stems.has(stem)) stems.set(stem, full);
      } else if (e.isDirectory() && depth < maxDepth && !e.name.startsWith('.')) walk(full, depth + 1);
    }
  };
  walk(folder, 0);
  for (const [k, v] of stems) if (!out.has(k)) out.set(k, v);
  return out;
}

/** The file name a reference is known by, from its path or URL, else its name. */
function fileNameOf(p: string | null, url: string | null, name: string): string {
  const raw = p ?? (url ? decodeURIComponent(url.replace(/[?#].*$/, '')) : name);
  return raw.split(/[\\/]/).pop() || name;
}

/**
 * Points offline media at files of the same name under `folder` (case-insensitive), as editors'
 * relink dialogs do. Media already online is left alone.
 */
export function relinkByName(t: EditorTimeline, folder: string): { timeline: EditorTimeline; relinked: Array<{ name: string; path: string }> } {
  let st;
  try {
    st = statSync(folder);
  } catch {
    throw new Error(`The folder ${folder} does not exist: choose the folder that holds the timeline's media.`);
  }
  if (!st.isDirectory()) throw new Error(`${folder} is not a folder: choose the folder that holds the timeline's media.`);
  const files = filesByName(folder);
  const relinked: Array<{ name: string; path: string }> = [];
  const newPath = new Map<string, string>();
  const media = t.media.map((m) => {
    if (isFile(m.path)) return m;
    const hit = files.get(fileNameOf(m.path, m.url, m.name).toLowerCase());
    if (!hit) return m;
    if (m.path) newPath.set(m.path, hit);
    relinked.push({ name: m.name, path: hit });
    return { ...m, path: hit };
  });
  const byId = new Map(media.map((m) => [m.id, m]));
  const relinkClip = <C extends { mediaId: string | null; mediaPath: string | null; name: string }>(c: C): C => {
    if (isFile(c.mediaPath)) return c;
    const ref = c.mediaId ? byId.get(c.mediaId) : undefined;
    const own = files.get(fileNameOf(c.mediaPath, null, c.name).toLowerCase());
    // A clip that names no file of its own (EDL events share a reel) is found by its clip name first.
    const p = !c.mediaPath && own ? own : (c.mediaPath && newPath.get(c.mediaPath)) ?? (ref && isFile(ref.path) ? ref.path : null) ?? own ?? null;
    if (!p) return c;
    if (!ref && !relinked.some((r) => r.path === p)) relinked.push({ name: c.name, path: p });
    return { ...c, mediaPath: p };
  };
  const tracks = (list: EditorTimeline['videoTracks']) => list.map((tr) => ({ ...tr, clips: tr.clips.map(relinkClip) }));
  return { timeline: { ...t, media, videoTracks: tracks(t.videoTracks), audioTracks: tracks(t.audioTracks) }, relinked };
}

/**
 * A rendered reference movie must be this timeline: same frame rate, same length within two
 * frames (containers round their durations).
 */
export function checkReference(ref: { path: string; fps: number; durationSec: number }, t: EditorTimeline): void {
  const fps = rateToFps(t.rate);
  const want = framesToSeconds(t.durationFrames, t.rate);
  if (Math.abs(ref.fps - fps) > 0.01) {
    throw new Error(`${path.basename(ref.path)} runs at ${ref.fps.toFixed(3)} fps but the timeline "${t.name}" is ${fps.toFixed(3)} fps: export the reference movie at the sequence's rate.`);
  }
  if (Math.abs(ref.durationSec - want) > Math.max(2 / fps, 0.05)) {
    throw new Error(`${path.basename(ref.path)} lasts ${ref.durationSec.toFixed(3)} s but the timeline "${t.name}" lasts ${want.toFixed(3)} s: export the whole sequence, from its first frame to its last.`);
  }
}

/** Sequence markers as accent times (seconds from the sequence start), inside the timeline. */
export function markerTimes(t: EditorTimeline): Array<{ timeSec: number; name: string }> {
  return t.markers
    .filter((m) => m.frame >= 0 && m.frame < t.durationFrames)
    .map((m) => ({ timeSec: framesToSeconds(m.frame, t.rate), name: m.name }));
}

/**
 * The planner's plan for a timeline's picture: the edit points replace the detected cuts (they
 * are exact), so the planner's cut accents sit on them; the timeline's markers come in as user
 * accents the music must hit.
 */
export function planForTimeline(analysis: VideoAnalysis, t: EditorTimeline): FullRhythmPlan {
  const edits = editPoints(t);
  const sceneCuts = edits.map((e) => ({ frame: e.frame, timeSec: e.timeSec, score: 100 }));
  const base = planFromAnalysis({ ...analysis, sceneCuts });
  return normalizePlan({
    ...base,
    cuts: base.cuts.map((c) => ({ ...c, kind: 'edit' as const })),
    accents: [...base.accents, ...markerTimes(t).map((m) => ({ timeSec: m.timeSec, strength: 1, kind: 'user' as const }))],
  }).plan;
}

/** The planner for a timeline's picture (what `v2m score <timeline>` plans with). */
export function timelinePlanner(t: EditorTimeline): RhythmPlanner {
  return { name: 'timeline', plan: async (analysis) => planForTimeline(analysis, t) };
}

/**
 * The picture to score a timeline on, without a project (the CLI): the reference movie, checked;
 * else the sources, relinked under `searchFolder` when given, conformed into `conformOut`.
 */
export async function timelinePicture(o: {
  timeline: EditorTimeline; referenceMoviePath?: string | undefined; searchFolder?: string | undefined; conformOut: string;
  signal?: AbortSignal; onProgress?: (fraction: number) => void;
}): Promise<{ video: string; timeline: EditorTimeline; warnings: string[] }> {
  if (o.referenceMoviePath) {
    const info = await probe(o.referenceMoviePath, o.signal ? { signal: o.signal } : {});
    if (!info.video) throw new Error(`${o.referenceMoviePath} has no video stream; point at the movie rendered from the timeline.`);
    checkReference({ path: o.referenceMoviePath, fps: info.video.fps, durationSec: info.video.durationSec || info.durationSec }, o.timeline);
    return { video: o.referenceMoviePath, timeline: o.timeline, warnings: [] };
  }
  const t = o.searchFolder ? relinkByName(o.timeline, o.searchFolder).timeline : o.timeline;
  const missing = mainTrackMedia(t).filter((m) => !m.found);
  if (missing.length) {
    throw new Error(`${missing.length} media file(s) of "${t.name}" are offline: ${missing.map((m) => m.path ?? m.name).join(', ')}. ` +
      'Give --media <folder> to look for them by file name, or --reference <movie> rendered from the timeline.');
  }
  const { segments, warnings } = conformSegments(t);
  await conformTimeline({
    segments, rate: t.rate, out: o.conformOut,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: (p: { fraction?: number | null }) => o.onProgress!(p.fraction ?? 0) } : {}),
  });
  return { video: o.conformOut, timeline: t, warnings };
}

/**
 * Markers for an interchange file: the editor's own markers as they came (name, note, colour),
 * then the plan's cuts and accents, except the user accents that only restate one of those.
 */
export function interchangeMarkers(plan: Pick<PlanLike, 'accents' | 'cuts'>, rate: { num: number; den: number }, fps: number, timeline: EditorTimeline | null): TimelineMarker[] {
  const own = timeline?.markers ?? [];
  const taken = new Set(own.map((m) => m.frame));
  const planned = planMarkers({ fps, accents: plan.accents, cuts: plan.cuts }, rate).filter((m) => !(m.kind === 'user' && taken.has(m.frame)));
  return [...own, ...planned].sort((a, b) => a.frame - b.frame);
}
