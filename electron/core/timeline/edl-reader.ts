import {
  TimelineReadError, tracksEnd,
  type EditorTimeline, type MediaRef, type TimelineClip, type TimelineMarker, type TimelineTrack,
} from './editor-timeline.ts';
import { canDropFrame, formatRate, makeRate, timebase, timecodeToFrames, TimecodeError, type FrameRate } from './timecode.ts';
import { baseName } from './media-url.ts';
import { kindFromMarker } from './marker-style.ts';

export interface EdlReadOptions {
  /** EDLs do not state their rate; without this it is guessed from the frame numbers (with a warning). */
  rate?: FrameRate;
}

/** Avid's locator colours (CMX `* LOC:` lines) as our colour names. */
export const AVID_COLORS: Record<string, string> = {
  WHITE: 'white', RED: 'red', GREEN: 'green', BLUE: 'blue', CYAN: 'cyan', MAGENTA: 'pink', YELLOW: 'yellow', BLACK: 'black',
};

/** Resolve's marker colours (`|C:ResolveColorBlue`) as our colour names. */
export const RESOLVE_COLORS: Record<string, string> = {
  Blue: 'blue', Cyan: 'cyan', Green: 'green', Yellow: 'yellow', Red: 'red', Pink: 'pink', Purple: 'purple', Fuchsia: 'fuchsia',
  Rose: 'rose', Lavender: 'lavender', Sky: 'sky', Mint: 'mint', Lemon: 'lemon', Sand: 'sand', Cocoa: 'cocoa', Cream: 'cream',
};

const TC = /^\d{1,2}:\d{2}:\d{2}[:;.,]\d{2,3}$/;

interface RawEvent {
  num: string;
  reel: string;
  channel: string;
  tcs: [string, string, string, string];
  line: number;
  clipName?: string;
  clipPath?: string;
  resolveMarker?: { color: string; name: string; duration: number };
}

/** CMX 3600 EDL (Avid, Premiere, Resolve; with FROM CLIP NAME, LOC and Resolve |C:|M:|D: markers) → EditorTimeline. */
export function readEdl(text: string, file: string, opts: EdlReadOptions = {}): { timeline: EditorTimeline; warnings: string[] } {
  if (!text.trim()) throw new TimelineReadError(`${file} is empty.`, file, null);
  const warnings: string[] = [];
  const lines = text.split(/\r\n?|\n/);
  let title = '';
  let dropFrame: boolean | null = null;
  const events: RawEvent[] = [];
  const locs: Array<{ tc: string; color: string; name: string; line: number }> = [];
  let skippedLines = 0;
  let firstSkipped = 0;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const no = i + 1;
    if (!line) return;
    let m: RegExpExecArray | null;
    if ((m = /^TITLE:\s*(.*)$/i.exec(line))) title = m[1]!.trim();
    else if ((m = /^FCM:\s*(.*)$/i.exec(line))) dropFrame = /^DROP/i.test(m[1]!.trim());
    else if (/^\d{1,6}\s/.test(line)) {
      const tok = line.split(/\s+/);
      const tcs = tok.slice(-4);
      if (tok.length < 7 || !tcs.every((t) => TC.test(t))) throw new TimelineReadError(`${file}: event line ${no} "${line}" does not end in four timecodes (source in/out, record in/out).`, file, no);
      events.push({ num: tok[0]!, reel: tok[1]!, channel: tok[2]!, tcs: tcs as RawEvent['tcs'], line: no });
    } else if ((m = /^\*\s*FROM CLIP NAME:\s*(.*)$/i.exec(line))) {
      const e = events.at(-1);
      if (e) e.clipName = m[1]!.trim();
    } else if ((m = /^\*\s*(?:FROM CLIP|SOURCE FILE):\s*(.*)$/i.exec(line))) {
      const e = events.at(-1);
      if (e) e.clipPath = m[1]!.trim();
    } else if ((m = /^\*\s*LOC:\s*(\S+)\s+(\S+)\s*(.*)$/i.exec(line))) {
      locs.push({ tc: m[1]!, color: m[2]!, name: m[3]!.trim(), line: no });
    } else if ((m = /\|C:(\S+)\s*\|M:(.*?)\s*\|D:(\d+)/.exec(line))) {
      const e = events.at(-1);
      if (e) e.resolveMarker = { color: m[1]!, name: m[2]!, duration: Number(m[3]) };
    } else if (line.startsWith('*') || /^(M2|SPLIT|>>>|AUD|%)/i.test(line)) {
      // Other comments, speed changes and split edits do not move record edit points.
    } else {
      if (!skippedLines) firstSkipped = no;
      skippedLines++;
    }
  });
  if (skippedLines) warnings.push(`Skipped ${skippedLines} line${skippedLines > 1 ? 's' : ''} that are not CMX 3600 (first at line ${firstSkipped}).`);
  if (!events.length && !locs.length) throw new TimelineReadError(`${file} has no CMX 3600 events (lines like "001  REEL  V  C  01:00:00:00 …"); it is not an EDL.`, file, null);

  let rate = opts.rate;
  if (!rate) {
    const allTc = [...events.flatMap((e) => e.tcs), ...locs.map((l) => l.tc)];
    const maxFF = Math.max(...allTc.map((t) => Number(/(\d+)$/.exec(t)![1])));
    const df = dropFrame === true || allTc.some((t) => /;/.test(t));
    rate = df ? makeRate(maxFF >= 30 ? 60000 : 30000, 1001) : maxFF < 24 ? makeRate(24) : maxFF < 25 ? makeRate(25) : maxFF < 30 ? makeRate(30) : makeRate(60);
    warnings.push(`EDLs do not store a frame rate; assumed ${formatRate(rate)} fps from the timecodes (frames up to ${maxFF}). Give the rate if that is wrong.`);
  }
  const df = (dropFrame ?? false) && canDropFrame(rate);
  const tcFrames = (tc: string, line: number): number => {
    try {
      return timecodeToFrames(tc, rate!, df || (tc.includes(';') && canDropFrame(rate!)));
    } catch (err) {
      if (err instanceof TimecodeError) throw new TimelineReadError(`${file}: line ${line}: ${err.message}`, file, line);
      throw err;
    }
  };

  // Resolve marker EDLs hold only one-frame events with |C:|M:|D: lines; those are markers, not clips.
  const markerOnly = events.length > 0 && events.every((e) => e.resolveMarker);
  const recIns = events.map((e) => tcFrames(e.tcs[2], e.line));
  const first = recIns.length ? Math.min(...recIns) : tcFrames(locs[0]!.tc, locs[0]!.line);
  // A marker-only EDL says nothing about where the sequence starts: take the hour it falls in.
  const hour = timebase(rate) * 3600 - (df ? (timebase(rate) / 15) * 54 : 0);
  const startFrame = markerOnly ? Math.floor(first / hour) * hour : first;

  const tracks = new Map<string, TimelineClip[]>();
  const media = new Map<string, MediaRef>();
  const markers: TimelineMarker[] = [];
  const lastRecIn = new Map<string, number>();
  let blackEnd = 0;
  for (const e of events) {
    const [si, so, ri, ro] = e.tcs.map((t) => tcFrames(t, e.line)) as [number, number, number, number];
    if (ro < ri) throw new TimelineReadError(`${file}: event ${e.num} at line ${e.line} goes backwards: record out ${e.tcs[3]} is before record in ${e.tcs[2]}.`, file, e.line);
    if (so < si) throw new TimelineReadError(`${file}: event ${e.num} at line ${e.line} goes backwards: source out ${e.tcs[1]} is before source in ${e.tcs[0]}.`, file, e.line);
    if (e.resolveMarker) {
      const { color, name, duration } = e.resolveMarker;
      const { kind, strength } = kindFromMarker(name, '');
      markers.push({ frame: ri - startFrame, durationFrames: duration, name, note: '', color: RESOLVE_COLORS[color.replace(/^ResolveColor/, '')] ?? color.toLowerCase(), kind, ...(strength !== undefined ? { strength } : {}) });
      if (markerOnly) continue;
    }
    // Black is not a clip: it only says where the sequence starts and how long it runs.
    if (/^(BL|BLACK)$/i.test(e.reel)) {
      blackEnd = Math.max(blackEnd, ro - startFrame);
      continue;
    }
    const channels = e.channel.toUpperCase();
    const keys: string[] = [];
    if (/^V\d*$/.test(channels) || channels === 'B' || channels.includes('/V')) keys.push(/^V\d+$/.test(channels) ? channels : 'V1');
    if (channels === 'B' || /^A/.test(channels)) {
      const a = /^A(\d*)/.exec(channels);
      if (channels.startsWith('AA')) keys.push('A1'); // a stereo pair is one track here
      else if (a && a[1]) keys.push(`A${a[1]}`);
      else keys.push('A1');
    }
    if (!keys.length) {
      warnings.push(`Event ${e.num} at line ${e.line} has channel "${e.channel}", which this reader does not know; skipped.`);
      continue;
    }
    let ref: MediaRef | null = null;
    if (e.clipPath || e.reel !== 'AX') {
      const id = e.clipPath ?? e.reel;
      ref = media.get(id) ?? { id, name: e.clipName ?? baseName(id), path: e.clipPath ?? null, url: null, durationFrames: null, rate: null };
      media.set(id, ref);
    } else if (e.reel === 'AX' && e.clipName) {
      ref = media.get(e.clipName) ?? { id: e.clipName, name: e.clipName, path: null, url: null, durationFrames: null, rate: null };
      media.set(e.clipName, ref);
    }
    for (const key of keys) {
      const prev = lastRecIn.get(key);
      if (prev !== undefined && ri < prev) warnings.push(`Event ${e.num} at line ${e.line} starts before the previous event on ${key}; events were sorted by record time.`);
      lastRecIn.set(key, ri);
      let list = tracks.get(key);
      if (!list) tracks.set(key, (list = []));
      // A dissolve repeats the event number: the incoming clip starts at its own record in.
      const last = list.at(-1);
      if (last && last.recordOut > ri - startFrame && last.recordIn < ri - startFrame) last.recordOut = ri - startFrame;
      list.push({
        name: e.clipName ?? e.reel,
        mediaId: ref?.id ?? null,
        mediaPath: ref?.path ?? null,
        sourceIn: si,
        sourceOut: so,
        recordIn: ri - startFrame,
        recordOut: ro - startFrame,
        enabled: true,
      });
    }
  }
  for (const l of locs) {
    const { kind, strength } = kindFromMarker(l.name, '');
    markers.push({ frame: tcFrames(l.tc, l.line) - startFrame, durationFrames: 0, name: l.name, note: '', color: AVID_COLORS[l.color.toUpperCase()] ?? l.color.toLowerCase(), kind, ...(strength !== undefined ? { strength } : {}) });
  }
  const byRecord = (a: TimelineClip, b: TimelineClip) => a.recordIn - b.recordIn;
  const videoKeys = [...tracks.keys()].filter((k) => k.startsWith('V')).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const audioKeys = [...tracks.keys()].filter((k) => k.startsWith('A')).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const videoTracks: TimelineTrack[] = videoKeys.map((k) => ({ name: k, kind: 'video', clips: tracks.get(k)!.sort(byRecord) }));
  const audioTracks: TimelineTrack[] = audioKeys.map((k) => ({ name: k, kind: 'audio', clips: tracks.get(k)!.sort(byRecord) }));
  const end = tracksEnd({ videoTracks, audioTracks });
  const timeline: EditorTimeline = {
    name: title,
    rate,
    dropFrame: df,
    startFrame,
    durationFrames: Math.max(end, blackEnd, ...markers.map((m) => m.frame + Math.max(1, m.durationFrames))),
    videoTracks,
    audioTracks,
    markers: markers.sort((a, b) => a.frame - b.frame),
    media: [...media.values()],
  };
  return { timeline, warnings };
}
