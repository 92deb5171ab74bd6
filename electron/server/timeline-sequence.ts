import type { PanelClip, PanelSequence } from '../shared/panel-protocol.ts';
import { readTimelineFile, type EditorTimeline } from '../core/timeline/index.ts';
import { framesToSeconds } from '../core/timeline/timecode.ts';

// An editor's exported timeline file (Resolve's FCP7 XML, or any format the readers know) as the
// sequence a panel would have sent, so both routes share one opening path.

/** The timeline in panel terms: source times count from the media's own start, in seconds. */
export function sequenceFromTimeline(tl: EditorTimeline, editor: PanelSequence['editor']): PanelSequence {
  const mediaStart = new Map(tl.media.map((m) => [m.id, m.startFrame ?? 0]));
  const videoClips: PanelClip[] = tl.videoTracks.flatMap((track, t) => track.clips.map((c) => {
    const start = (c.mediaId && mediaStart.get(c.mediaId)) || 0;
    return {
      name: c.name,
      track: t,
      mediaPath: c.mediaPath ?? '',
      // The file cannot say a clip is offline; openSequence checks each path on this machine.
      offline: false,
      enabled: c.enabled,
      recordIn: c.recordIn,
      recordOut: c.recordOut,
      sourceInSec: framesToSeconds(c.sourceIn - start, tl.rate),
      sourceOutSec: framesToSeconds(c.sourceOut - start, tl.rate),
    };
  }));
  return {
    name: tl.name,
    editor,
    rate: { num: tl.rate.num, den: tl.rate.den },
    dropFrame: tl.dropFrame,
    durationFrames: tl.durationFrames,
    videoClips,
    markers: tl.markers.map((m) => ({ frame: m.frame, durationFrames: m.durationFrames, name: m.name, note: m.note })),
  };
}

/** Reads a timeline file into a sequence; the reader's warnings go to the user. Throws TimelineReadError. */
export async function readSequenceFile(file: string, editor: PanelSequence['editor']): Promise<{ sequence: PanelSequence; warnings: string[] }> {
  const { timeline, warnings } = await readTimelineFile(file);
  return { sequence: sequenceFromTimeline(timeline, editor), warnings };
}
