import type { TimelineClip, TimelineMarker } from './editor-timeline.ts';
import { framesToTimecode, type FrameRate } from './timecode.ts';
import { baseName } from './media-url.ts';
import type { ResolvedInterchange } from './interchange-input.ts';

/** Our colours in Avid's locator palette (the only colours `* LOC:` lines may name). */
const TO_AVID: Record<string, string> = {
  white: 'WHITE', red: 'RED', green: 'GREEN', blue: 'BLUE', cyan: 'CYAN', pink: 'MAGENTA', magenta: 'MAGENTA', purple: 'MAGENTA',
  yellow: 'YELLOW', orange: 'YELLOW', black: 'BLACK',
};
/** …and in Resolve's (`|C:ResolveColor…`). */
const TO_RESOLVE: Record<string, string> = {
  white: 'Cream', red: 'Red', green: 'Green', blue: 'Blue', cyan: 'Cyan', pink: 'Pink', magenta: 'Fuchsia', purple: 'Purple',
  yellow: 'Yellow', orange: 'Sand', black: 'Cocoa', fuchsia: 'Fuchsia', rose: 'Rose', lavender: 'Lavender', sky: 'Sky', mint: 'Mint',
  lemon: 'Lemon', sand: 'Sand', cocoa: 'Cocoa', cream: 'Cream',
};

/** CMX 3600 allows 8-character reels; names go in FROM CLIP NAME comments instead. */
const reel = (s: string) => (s.replace(/[^A-Za-z0-9_]/g, '').slice(0, 8) || 'AX').padEnd(8);
const num = (n: number) => String(n).padStart(3, '0');
/** EDL comments are one line and Avid reads 7-bit text most reliably. */
const oneLine = (s: string) => s.replace(/[\r\n|]+/g, ' ').trim();

function header(title: string, dropFrame: boolean): string[] {
  return [`TITLE: ${oneLine(title).slice(0, 70) || 'V2M Studio'}`, `FCM: ${dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`, ''];
}

function event(n: number, reelName: string, channel: string, si: number, so: number, ri: number, ro: number, r: FrameRate, df: boolean): string {
  const tc = (f: number) => framesToTimecode(f, r, df);
  return `${num(n)}  ${reel(reelName)} ${channel.padEnd(5)} C        ${tc(si)} ${tc(so)} ${tc(ri)} ${tc(ro)}`;
}

/**
 * CMX 3600 EDL as Avid and Premiere read it: the main video track's events, the music as an audio
 * event (AA, stereo) from the sequence start, and each marker as a `* LOC:` line after the video
 * event it falls in (Avid's convention: record timecode, colour, text).
 */
export function writeEdl(x: ResolvedInterchange): string {
  const tl = x.timeline;
  const { rate: r, dropFrame: df, startFrame: s0 } = tl;
  const lines = header(tl.name, df);
  const media = new Map(tl.media.map((m) => [m.id, m]));
  const locLine = (m: TimelineMarker) => `* LOC: ${framesToTimecode(s0 + m.frame, r, df)} ${(TO_AVID[m.color] ?? 'RED').padEnd(7)} ${oneLine(m.name)}`;
  const pending = [...x.markers];
  const take = (from: number, to: number) => {
    const mine = pending.filter((m) => m.frame >= from && m.frame < to);
    for (const m of mine) pending.splice(pending.indexOf(m), 1);
    return mine;
  };
  // Black (BL) events fill the space before, between and after the clips, so the record start
  // and length survive (an EDL has no other way to say them) and every marker has an event to sit on.
  const events: Array<{ clip: TimelineClip | null; from: number; to: number }> = [];
  let at = 0;
  for (const c of [...(tl.videoTracks[0]?.clips ?? [])].sort((a, b) => a.recordIn - b.recordIn)) {
    if (c.recordIn < at) continue; // one EDL track cannot overlap itself
    if (c.recordIn > at) events.push({ clip: null, from: at, to: c.recordIn });
    events.push({ clip: c, from: c.recordIn, to: c.recordOut });
    at = c.recordOut;
  }
  if (at < tl.durationFrames) events.push({ clip: null, from: at, to: tl.durationFrames });
  let n = 1;
  for (const { clip: c, from, to } of events) {
    if (!c) {
      lines.push(event(n++, 'BL', 'V', 0, to - from, s0 + from, s0 + to, r, df));
    } else {
      const m = c.mediaId ? media.get(c.mediaId) : undefined;
      lines.push(event(n++, m?.name ?? c.name, 'V', c.sourceIn, c.sourceOut, s0 + c.recordIn, s0 + c.recordOut, r, df));
      lines.push(`* FROM CLIP NAME: ${oneLine(c.name)}`);
      const file = c.mediaPath ?? m?.path;
      if (file) lines.push(`* SOURCE FILE: ${oneLine(file)}`);
    }
    for (const mk of take(from, to)) lines.push(locLine(mk));
  }
  if (x.music) {
    lines.push(event(n++, x.music.name, 'AA', 0, x.music.frames, s0, s0 + x.music.frames, r, df));
    lines.push(`* FROM CLIP NAME: ${oneLine(baseName(x.music.name))}`, `* SOURCE FILE: ${oneLine(x.music.path)}`);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * DaVinci Resolve's marker EDL (what Resolve writes with "Export › Timeline Markers to EDL" and
 * reads with "Import › Timeline Markers from EDL"): one one-frame event per marker with a
 * `|C:ResolveColor… |M:name |D:duration` line. Markers only; the music is imported as audio.
 */
export function writeResolveEdl(x: ResolvedInterchange): string {
  const tl = x.timeline;
  const { rate: r, dropFrame: df, startFrame: s0 } = tl;
  const lines = header(tl.name, df);
  x.markers.forEach((m, i) => {
    const at = s0 + m.frame;
    lines.push(`${event(i + 1, '001', 'V', at, at + 1, at, at + 1, r, df)}  `);
    lines.push(` |C:ResolveColor${TO_RESOLVE[m.color] ?? 'Blue'} |M:${oneLine(m.name)} |D:${Math.max(1, m.durationFrames)}`);
    lines.push('');
  });
  return lines.join('\n');
}
