import { writeFileAtomic } from '../files/atomic-write.ts';
import type { TimelineMarker } from './editor-timeline.ts';
import { rateFromFps, secondsToFrames, type FrameRate } from './timecode.ts';
import { KIND_COLOR, markerName } from './marker-style.ts';
import { InterchangeError, INTERCHANGE_FORMATS, resolveInterchange, type InterchangeFormat, type InterchangeInput } from './interchange-input.ts';
import { writeFcpxml } from './fcpxml-writer.ts';
import { writeXmeml } from './xmeml-writer.ts';
import { writeEdl, writeResolveEdl } from './edl-writer.ts';
import { writeOtio } from './otio-writer.ts';
import { writeMarkersCsv } from './csv-writer.ts';
import { FCPXML_VERSIONS } from './fcpxml-reader.ts';

/** One interchange file's text: the sequence, the music and the markers in the format an editor imports. */
export function writeInterchange(format: InterchangeFormat, input: InterchangeInput): string {
  if (!INTERCHANGE_FORMATS.includes(format)) throw new InterchangeError(`Unknown marker format "${format}"; choose one of ${INTERCHANGE_FORMATS.join(', ')}.`);
  if (input.fcpxmlVersion && !FCPXML_VERSIONS.includes(input.fcpxmlVersion)) {
    throw new InterchangeError(`FCPXML version ${input.fcpxmlVersion} is not one this app writes (${FCPXML_VERSIONS.join(', ')}).`);
  }
  const x = resolveInterchange(input);
  switch (format) {
    case 'fcpxml': return writeFcpxml(x, input.fcpxmlVersion ?? '1.10');
    case 'xmeml': return writeXmeml(x);
    case 'edl': return writeEdl(x);
    case 'resolve-edl': return writeResolveEdl(x);
    case 'otio': return writeOtio(x);
    case 'csv': return writeMarkersCsv(x);
  }
}

/** Writes whole or not at all (the one atomic write), so no half file is left. */
export async function writeInterchangeFile(file: string, format: InterchangeFormat, input: InterchangeInput): Promise<void> {
  writeFileAtomic(file, writeInterchange(format, input));
}

/** The parts of a rhythm plan (`v2m plan --json`) markers come from. */
export interface PlanLike {
  fps: number;
  durationSec?: number;
  accents: Array<{ timeSec: number; strength: number; kind: 'cut' | 'visual-beat' | 'user' }>;
  cuts: Array<{ timeSec: number } | number>;
}

/**
 * A rhythm plan's accents and cuts as markers on frames at `rate` (the plan's fps unless given):
 * each accent keeps its kind and strength; a cut that is not also an accent on the same frame
 * becomes a cut marker of strength 1.
 */
export function planMarkers(plan: PlanLike, fps?: number | FrameRate): TimelineMarker[] {
  const rate = fps === undefined ? rateFromFps(plan.fps) : typeof fps === 'number' ? rateFromFps(fps) : fps;
  const byFrame = new Map<number, TimelineMarker>();
  const add = (frame: number, kind: TimelineMarker['kind'], strength: number) => {
    const s = Math.min(1, Math.max(0, strength));
    const had = byFrame.get(frame);
    // Two accents on one frame are one marker; the stronger one names it.
    if (had && (had.strength ?? 0) >= s) return;
    byFrame.set(frame, { frame, durationFrames: 0, name: markerName(kind, s), note: '', color: KIND_COLOR[kind], kind, strength: s });
  };
  for (const a of plan.accents) add(secondsToFrames(a.timeSec, rate), a.kind, a.strength);
  for (const c of plan.cuts) {
    const f = secondsToFrames(typeof c === 'number' ? c : c.timeSec, rate);
    if (!byFrame.has(f)) add(f, 'cut', 1);
  }
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}
