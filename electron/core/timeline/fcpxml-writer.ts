import type { TimelineClip, TimelineMarker } from './editor-timeline.ts';
import { framesToRational, type FrameRate } from './timecode.ts';
import { pathToUrl } from './media-url.ts';
import { markerTag } from './marker-style.ts';
import { xmlEscape as esc } from './xml-tree.ts';
import type { ResolvedInterchange } from './interchange-input.ts';
import type { FcpxmlVersion } from './fcpxml-reader.ts';

/** Frames → an FCPXML time ("1001/30000s", "10s"), exact. */
function t(frames: number, r: FrameRate): string {
  const q = framesToRational(frames, r);
  return q.d === 1 ? `${q.n}s` : `${q.n}/${q.d}s`;
}

interface SpineItem {
  clip: TimelineClip | null;
  recordIn: number;
  recordOut: number;
}

/** The main track as Final Cut's spine: clips with gaps filling the space between them. */
function spineItems(clips: TimelineClip[], end: number): SpineItem[] {
  const items: SpineItem[] = [];
  let at = 0;
  for (const c of [...clips].sort((a, b) => a.recordIn - b.recordIn)) {
    if (c.recordIn < at) continue; // overlaps cannot sit in one spine; the later clip is dropped
    if (c.recordIn > at) items.push({ clip: null, recordIn: at, recordOut: c.recordIn });
    items.push({ clip: c, recordIn: c.recordIn, recordOut: c.recordOut });
    at = c.recordOut;
  }
  if (at < end) items.push({ clip: null, recordIn: at, recordOut: end });
  return items;
}

/**
 * FCPXML 1.8–1.11: the sequence's main track as the spine, its other tracks as connected clips,
 * the music as a connected asset-clip
 * on lane -1 with audioRole="music", and each marker inside the clip that holds it in that clip's
 * local time (Final Cut keeps markers only on clips): on the music clip where the music plays,
 * else on the spine clip or gap under it.
 */
export function writeFcpxml(x: ResolvedInterchange, version: FcpxmlVersion = '1.10'): string {
  const tl = x.timeline;
  const r = tl.rate;
  const mediaRep = version !== '1.8';
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE fcpxml>', '', `<fcpxml version="${version}">`, '    <resources>'];
  lines.push(`        <format id="r1" frameDuration="${t(1, r)}" width="${x.width}" height="${x.height}"/>`);
  const assetIds = new Map<string, string>();
  let next = 2;
  const main = tl.videoTracks[0]?.clips ?? [];
  const asset = (id: string, name: string, src: string | null, durFrames: number, startFrame: number, audioOnly: boolean, sampleRate?: number) => {
    const rid = `r${next++}`;
    const srcUrl = src ? pathToUrl(src) : null;
    const attrs = `id="${rid}" name="${esc(name)}"${srcUrl && !mediaRep ? ` src="${esc(srcUrl)}"` : ''} start="${t(startFrame, r)}" duration="${t(durFrames, r)}"`
      + (audioOnly ? ` hasAudio="1" audioSources="1" audioChannels="2" audioRate="${sampleRate ?? 48000}"` : ` hasVideo="1" format="r1" hasAudio="1" audioSources="1" audioChannels="2"`);
    if (srcUrl && mediaRep) lines.push(`        <asset ${attrs}>`, `            <media-rep kind="original-media" src="${esc(srcUrl)}"/>`, '        </asset>');
    else lines.push(`        <asset ${attrs}/>`);
    assetIds.set(id, rid);
  };
  const allClips = [...tl.videoTracks, ...tl.audioTracks].flatMap((t) => t.clips);
  for (const m of tl.media) {
    const used = allClips.filter((c) => c.mediaId === m.id);
    if (!used.length) continue;
    const start = Math.min(m.startFrame ?? 0, ...used.map((c) => c.sourceIn));
    const dur = Math.max(m.durationFrames ?? 0, ...used.map((c) => c.sourceOut - start));
    asset(m.id, m.name, m.path ?? m.url, dur, start, false);
  }
  const musicId = x.music ? `r${next}` : null;
  if (x.music) asset('\u0000music', x.music.name, x.music.path, x.music.frames, 0, true, x.music.sampleRate);
  lines.push('    </resources>', '    <library>', '        <event name="V2M Studio">', `            <project name="${esc(tl.name || 'V2M Studio')}">`);
  const df = tl.dropFrame ? 'DF' : 'NDF';
  lines.push(`                <sequence format="r1" duration="${t(tl.durationFrames, r)}" tcStart="${t(tl.startFrame, r)}" tcFormat="${df}" audioLayout="stereo" audioRate="48k">`, '                    <spine>');

  const musicEnd = x.music ? Math.min(x.music.frames, tl.durationFrames) : 0;
  const onMusic = x.markers.filter((m) => m.frame < musicEnd);
  const onSpine = x.markers.filter((m) => m.frame >= musicEnd);
  const markerXml = (m: TimelineMarker, local: number, indent: string) =>
    `${indent}<marker start="${t(local, r)}" duration="${t(Math.max(1, m.durationFrames), r)}" value="${esc(m.name)}" note="${esc([m.note, markerTag(m.kind, m.strength)].filter(Boolean).join(' '))}"/>`;

  const items = spineItems(main, tl.durationFrames);
  // Other tracks become connected clips on lanes (video 1, 2, …; audio below the music), each
  // anchored to the spine item under its start, its offset in that item's local time.
  const connected = new Map<SpineItem, string[]>();
  const lanes: Array<{ lane: number; audio: boolean; clips: TimelineClip[] }> = [
    ...tl.videoTracks.slice(1).map((t, k) => ({ lane: k + 1, audio: false, clips: t.clips })),
    ...tl.audioTracks.map((t, k) => ({ lane: -(k + 1 + (x.music ? 1 : 0)), audio: true, clips: t.clips })),
  ];
  for (const { lane, audio, clips } of lanes) {
    for (const c of clips) {
      const rid = c.mediaId ? assetIds.get(c.mediaId) : undefined;
      const host = items.find((it) => c.recordIn >= it.recordIn && c.recordIn < it.recordOut) ?? items.at(-1);
      if (!rid || !host) continue; // a clip without media (title, generator) has nothing to reference
      const hostStart = host.clip ? host.clip.sourceIn : 0;
      const list = connected.get(host) ?? [];
      list.push(`                            <asset-clip ref="${rid}" lane="${lane}" offset="${t(hostStart + c.recordIn - host.recordIn, r)}" name="${esc(c.name)}" duration="${t(c.recordOut - c.recordIn, r)}"${c.sourceIn ? ` start="${t(c.sourceIn, r)}"` : ''}${audio ? ' srcEnable="audio"' : ''}${c.enabled ? '' : ' enabled="0"'}/>`);
      connected.set(host, list);
    }
  }
  items.forEach((it, i) => {
    const origin = tl.startFrame; // spine offsets count from the sequence's tcStart
    const localStart = it.clip ? it.clip.sourceIn : 0;
    const common = `offset="${t(origin + it.recordIn, r)}" duration="${t(it.recordOut - it.recordIn, r)}"${localStart ? ` start="${t(localStart, r)}"` : ''}`;
    const inner: string[] = [];
    if (i === 0 && x.music && musicId) {
      // Connected to the first spine item at the sequence start; its offset is in the parent's local time.
      inner.push(`                            <asset-clip ref="${musicId}" lane="-1" offset="${t(localStart - it.recordIn, r)}" name="${esc(x.music.name)}" duration="${t(x.music.frames, r)}" audioRole="music">`);
      for (const m of onMusic) inner.push(markerXml(m, m.frame, '                                '));
      inner.push('                            </asset-clip>');
    }
    inner.push(...(connected.get(it) ?? []));
    for (const m of onSpine) if (m.frame >= it.recordIn && m.frame < it.recordOut) inner.push(markerXml(m, localStart + m.frame - it.recordIn, '                            '));
    const open = it.clip && it.clip.mediaId && assetIds.has(it.clip.mediaId)
      ? `<asset-clip ref="${assetIds.get(it.clip.mediaId)}" name="${esc(it.clip.name)}" ${common}${it.clip.enabled ? '' : ' enabled="0"'} tcFormat="${df}"`
      : `<gap name="${esc(it.clip?.name ?? 'Gap')}" ${common}`;
    const tag = open.startsWith('<asset-clip') ? 'asset-clip' : 'gap';
    if (inner.length) lines.push(`                        ${open}>`, ...inner, `                        </${tag}>`);
    else lines.push(`                        ${open}/>`);
  });
  lines.push('                    </spine>', '                </sequence>', '            </project>', '        </event>', '    </library>', '</fcpxml>', '');
  return lines.join('\n');
}
