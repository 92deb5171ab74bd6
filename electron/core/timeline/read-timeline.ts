import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TimelineReadError, type ReadTimelineResult, type TimelineFormat } from './editor-timeline.ts';
import { readFcpxml } from './fcpxml-reader.ts';
import { readXmeml } from './xmeml-reader.ts';
import { readEdl } from './edl-reader.ts';
import { readOtio } from './otio-reader.ts';
import type { FrameRate } from './timecode.ts';

export interface ReadTimelineOptions {
  /** The rate of an EDL (EDLs do not store one); ignored by the other formats, which do. */
  rate?: FrameRate;
}

/** Which format a text is, from its content first (a .xml may be FCPXML or xmeml), then its extension. */
export function detectTimelineFormat(text: string, fileName: string): TimelineFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return 'otio';
  if (head.startsWith('<')) {
    const root = /<(?![?!])([A-Za-z_][\w.-]*)/.exec(head.replace(/<!--[\s\S]*?-->/g, ''));
    if (root?.[1] === 'fcpxml') return 'fcpxml';
    if (root?.[1] === 'xmeml') return 'xmeml';
    const ext = path.extname(fileName).toLowerCase();
    if (ext === '.fcpxml' || ext === '.fcpxmld') return 'fcpxml';
    if (ext === '.xml') return 'xmeml';
    throw new TimelineReadError(`${fileName}: the root element is <${root?.[1] ?? '?'}>, not <fcpxml> (Final Cut Pro) or <xmeml> (Premiere / FCP7 XML).`, fileName, 1);
  }
  if (/^(TITLE:|FCM:|\d{3,6}\s+\S+\s+\S+\s+[CDWK])/im.test(head)) return 'edl';
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.edl') return 'edl';
  if (ext === '.otio') return 'otio';
  throw new TimelineReadError(`${fileName} is not a timeline this app reads: expected FCPXML (.fcpxml/.fcpxmld), FCP7/Premiere XML (.xml), CMX 3600 EDL (.edl) or OpenTimelineIO (.otio).`, fileName, null);
}

/** Parses a timeline from text; the format is detected from the content. Throws TimelineReadError. */
export function parseTimelineText(text: string, fileName: string, opts: ReadTimelineOptions = {}): ReadTimelineResult {
  const clean = text.replace(/^\uFEFF/, '');
  if (!clean.trim()) throw new TimelineReadError(`${fileName} is empty.`, fileName, null);
  const format = detectTimelineFormat(clean, fileName);
  const r = format === 'fcpxml' ? readFcpxml(clean, fileName)
    : format === 'xmeml' ? readXmeml(clean, fileName)
      : format === 'edl' ? readEdl(clean, fileName, opts)
        : readOtio(clean, fileName);
  return { ...r, format };
}

/** Reads a timeline file, or a Final Cut `.fcpxmld` bundle (a folder holding Info.fcpxml). */
export async function readTimelineFile(file: string, opts: ReadTimelineOptions = {}): Promise<ReadTimelineResult> {
  let target = file;
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new TimelineReadError(`${file} does not exist or cannot be read.`, file, null);
  }
  if (info.isDirectory()) {
    target = path.join(file, 'Info.fcpxml');
    try {
      await stat(target);
    } catch {
      throw new TimelineReadError(`${file} is a folder without Info.fcpxml; a Final Cut .fcpxmld bundle holds one.`, file, null);
    }
  }
  const text = await readFile(target, 'utf8');
  return parseTimelineText(text, target === file ? file : file, opts);
}
