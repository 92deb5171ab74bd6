import type { MediaRef, TimelineClip, TimelineTrack } from './editor-timeline.ts';
import { framesToTimecode, timebase, type FrameRate } from './timecode.ts';
import { pathToUrl } from './media-url.ts';
import { markerTag } from './marker-style.ts';
import { xmlEscape as esc } from './xml-tree.ts';
import type { ResolvedInterchange } from './interchange-input.ts';

/** The music's file id; no editor media id can collide with it. */
const MUSIC_ID = 'v2m-music';

/** xmeml writes rates as a whole timebase plus an NTSC flag (29.97 = 30 + TRUE). */
function rateXml(r: FrameRate, indent: string): string {
  return `${indent}<rate>\n${indent}\t<timebase>${timebase(r)}</timebase>\n${indent}\t<ntsc>${r.den === 1001 ? 'TRUE' : 'FALSE'}</ntsc>\n${indent}</rate>`;
}

/**
 * FCP7 XML (xmeml version 4), which Premiere Pro and DaVinci Resolve import: the sequence with its
 * tracks, a new audio track holding the music clip, and the markers as sequence markers.
 */
export function writeXmeml(x: ResolvedInterchange): string {
  const tl = x.timeline;
  const r = tl.rate;
  const media = new Map(tl.media.map((m) => [m.id, m]));
  const written = new Set<string>();
  let clipNo = 1;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE xmeml>', '<xmeml version="4">', '\t<sequence id="sequence-1">'];
  out.push(`\t\t<name>${esc(tl.name || 'V2M Studio')}</name>`, `\t\t<duration>${tl.durationFrames}</duration>`, rateXml(r, '\t\t'));

  const fileXml = (id: string, m: MediaRef | undefined, path: string | null, name: string, audioOnly: boolean, ind: string): string => {
    const fid = `file-${id}`;
    if (written.has(fid)) return `${ind}<file id="${esc(fid)}"/>`;
    written.add(fid);
    const url = path ? pathToUrl(path) : m?.url ?? null;
    const start = m?.startFrame ?? 0;
    const lines = [`${ind}<file id="${esc(fid)}">`, `${ind}\t<name>${esc(name)}</name>`];
    if (url) lines.push(`${ind}\t<pathurl>${esc(url)}</pathurl>`);
    lines.push(rateXml(r, `${ind}\t`));
    if (m?.durationFrames) lines.push(`${ind}\t<duration>${m.durationFrames}</duration>`);
    lines.push(`${ind}\t<timecode>`, rateXml(r, `${ind}\t\t`), `${ind}\t\t<string>${framesToTimecode(start, r, tl.dropFrame)}</string>`, `${ind}\t\t<frame>${start}</frame>`, `${ind}\t\t<displayformat>${tl.dropFrame ? 'DF' : 'NDF'}</displayformat>`, `${ind}\t</timecode>`);
    const audio = `${ind}\t\t<audio>\n${ind}\t\t\t<samplecharacteristics><samplerate>${id === MUSIC_ID && x.music ? x.music.sampleRate : 48000}</samplerate></samplecharacteristics>\n${ind}\t\t\t<channelcount>2</channelcount>\n${ind}\t\t</audio>`;
    lines.push(`${ind}\t<media>`, audioOnly ? audio : `${ind}\t\t<video/>`, `${ind}\t</media>`, `${ind}</file>`);
    return lines.join('\n');
  };
  const clipXml = (c: TimelineClip, audioOnly: boolean, ind: string): string => {
    const m = c.mediaId ? media.get(c.mediaId) : undefined;
    const start = m?.startFrame ?? 0;
    const lines = [`${ind}<clipitem id="clipitem-${clipNo++}">`, `${ind}\t<name>${esc(c.name)}</name>`, `${ind}\t<enabled>${c.enabled ? 'TRUE' : 'FALSE'}</enabled>`];
    if (m?.durationFrames) lines.push(`${ind}\t<duration>${m.durationFrames}</duration>`);
    lines.push(rateXml(r, `${ind}\t`), `${ind}\t<start>${c.recordIn}</start>`, `${ind}\t<end>${c.recordOut}</end>`, `${ind}\t<in>${c.sourceIn - start}</in>`, `${ind}\t<out>${c.sourceOut - start}</out>`);
    if (c.mediaId || c.mediaPath) lines.push(fileXml(c.mediaId ?? c.mediaPath!, m, c.mediaPath ?? m?.path ?? null, m?.name ?? c.name, audioOnly, `${ind}\t`));
    // Premiere takes an audio clip's channel from its source track.
    if (audioOnly) lines.push(`${ind}\t<sourcetrack>\n${ind}\t\t<mediatype>audio</mediatype>\n${ind}\t\t<trackindex>1</trackindex>\n${ind}\t</sourcetrack>`);
    lines.push(`${ind}</clipitem>`);
    return lines.join('\n');
  };
  const trackXml = (t: TimelineTrack, audioOnly: boolean): string =>
    ['\t\t\t\t<track>', ...t.clips.map((c) => clipXml(c, audioOnly, '\t\t\t\t\t')), '\t\t\t\t\t<enabled>TRUE</enabled>', '\t\t\t\t\t<locked>FALSE</locked>', '\t\t\t\t</track>'].join('\n');

  out.push('\t\t<media>', '\t\t\t<video>', `\t\t\t\t<format>\n\t\t\t\t\t<samplecharacteristics>\n${rateXml(r, '\t\t\t\t\t\t')}\n\t\t\t\t\t\t<width>${x.width}</width>\n\t\t\t\t\t\t<height>${x.height}</height>\n\t\t\t\t\t</samplecharacteristics>\n\t\t\t\t</format>`);
  for (const t of tl.videoTracks) out.push(trackXml(t, false));
  out.push('\t\t\t</video>', '\t\t\t<audio>');
  for (const t of tl.audioTracks) out.push(trackXml(t, true));
  if (x.music) {
    const musicTrack: TimelineTrack = {
      name: 'Music', kind: 'audio',
      clips: [{ name: x.music.name, mediaId: MUSIC_ID, mediaPath: x.music.path, sourceIn: 0, sourceOut: x.music.frames, recordIn: 0, recordOut: x.music.frames, enabled: true }],
    };
    media.set(MUSIC_ID, { id: MUSIC_ID, name: x.music.name, path: x.music.path, url: null, durationFrames: x.music.frames, rate: r, startFrame: 0 });
    out.push(trackXml(musicTrack, true));
  }
  out.push('\t\t\t</audio>', '\t\t</media>');
  out.push('\t\t<timecode>', rateXml(r, '\t\t\t'), `\t\t\t<string>${framesToTimecode(tl.startFrame, r, tl.dropFrame)}</string>`, `\t\t\t<frame>${tl.startFrame}</frame>`, `\t\t\t<displayformat>${tl.dropFrame ? 'DF' : 'NDF'}</displayformat>`, '\t\t</timecode>');
  for (const m of x.markers) {
    out.push('\t\t<marker>', `\t\t\t<name>${esc(m.name)}</name>`, `\t\t\t<comment>${esc([m.note, markerTag(m.kind, m.strength)].filter(Boolean).join(' '))}</comment>`,
      `\t\t\t<in>${m.frame}</in>`, `\t\t\t<out>${m.durationFrames > 0 ? m.frame + m.durationFrames : -1}</out>`, '\t\t</marker>');
  }
  out.push('\t</sequence>', '</xmeml>', '');
  return out.join('\n');
}
