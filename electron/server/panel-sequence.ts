import type { PanelClip, PanelRate, PanelSequence } from '../shared/panel-protocol.ts';

// Pure decisions about a sequence a panel sent: what is offline, where its edit points are, and
// which file can stand for its picture.

export const framesToSec = (frame: number, rate: PanelRate): number => (frame * rate.den) / rate.num;
export const secToFrame = (sec: number, rate: PanelRate): number => Math.round((sec * rate.num) / rate.den);

/** Enabled clips that reference media the editor or this machine cannot find. */
export function offlineClips(seq: PanelSequence, exists: (p: string) => boolean): PanelClip[] {
  return seq.videoClips.filter((c) => c.enabled && c.mediaPath !== '' && (c.offline || !exists(c.mediaPath)));
}

export function offlineMessage(seq: PanelSequence, missing: PanelClip[]): string {
  const shown = missing.slice(0, 8).map((c) => `"${c.name}" (${c.mediaPath})`).join(', ');
  const more = missing.length > 8 ? ` and ${missing.length - 8} more` : '';
  return `Sequence "${seq.name}" has ${missing.length} clip${missing.length === 1 ? '' : 's'} with offline media: ${shown}${more}. Relink the media in the editor and send the sequence again.`;
}

/** The main video track: the lowest track holding an enabled clip with media. */
export function mainTrackClips(seq: PanelSequence): PanelClip[] {
  const usable = seq.videoClips.filter((c) => c.enabled && c.mediaPath !== '');
  if (usable.length === 0) return [];
  const main = Math.min(...usable.map((c) => c.track));
  return usable.filter((c) => c.track === main).sort((a, b) => a.recordIn - b.recordIn);
}

/** Record frames where one main-track clip gives way to another, without 0 and the end. */
export function editPointFrames(seq: PanelSequence): number[] {
  const points = new Set<number>();
  for (const c of mainTrackClips(seq)) {
    for (const f of [c.recordIn, c.recordOut]) if (f > 0 && f < seq.durationFrames) points.add(f);
  }
  return [...points].sort((a, b) => a - b);
}

export type Picture =
  | { kind: 'reference'; path: string }
  | { kind: 'source'; path: string }
  | { kind: 'none'; reason: string };

/**
 * A sequence whose main track plays one file straight (razor cuts of the same take, each piece
 * at its own time) can be analysed from that file. Anything else needs a rendered movie.
 */
export function pictureFor(seq: PanelSequence): Picture {
  if (seq.referenceMovie) return { kind: 'reference', path: seq.referenceMovie };
  const main = mainTrackClips(seq);
  if (main.length === 0) return { kind: 'none', reason: `Sequence "${seq.name}" has no video clip with media on its tracks.` };
  const sources = new Set(main.map((c) => c.mediaPath));
  const halfFrame = framesToSec(0.5, seq.rate);
  const straight = sources.size === 1 && main.every((c) => Math.abs(c.sourceInSec - framesToSec(c.recordIn, seq.rate)) <= halfFrame);
  if (straight) return { kind: 'source', path: main[0]!.mediaPath };
  const why = sources.size > 1 ? `cuts between ${sources.size} source files` : 'uses its source out of order';
  return {
    kind: 'none',
    reason: `Sequence "${seq.name}" ${why}, so no single file shows its picture. Export the sequence as a movie (any codec ffmpeg reads) and choose it as the reference movie, then send again.`,
  };
}
