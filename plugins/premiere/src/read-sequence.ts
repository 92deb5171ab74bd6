import type { PanelClip, PanelSequence, PanelSequenceMarker } from '../../../electron/shared/panel-protocol.ts';
import type { HostSequence, PremiereHost } from './host-types.ts';
import { rateFromTimebase, ticksToFrame, ticksToSeconds } from './ticks.ts';

// "Send sequence": the active sequence as the app's protocol describes it. Every time is read
// in ticks and turned into frames of the sequence relative to its zero point.

export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
  }
}

/** Our own markers carry this tag in their comments so a second placement can replace them. */
export const V2M_TAG = /\[v2m:([A-Za-z0-9_-]+)\]/;

export async function activeSequence(ppro: PremiereHost): Promise<HostSequence> {
  const project = await ppro.Project.getActiveProject();
  if (!project) throw new HostError('No Premiere Pro project is open.');
  const seq = await project.getActiveSequence();
  if (!seq) throw new HostError('No sequence is active: open the sequence in the Timeline panel first.');
  return seq;
}

export async function readSequence(ppro: PremiereHost, seq: HostSequence): Promise<PanelSequence> {
  const timebase = await seq.getTimebase();
  const rate = rateFromTimebase(timebase);
  const zero = (await seq.getZeroPoint()).ticks;
  const rel = (ticks: string): number => ticksToFrame((BigInt(ticks) - BigInt(zero)).toString(), timebase);
  const end = rel((await seq.getEndTime()).ticks);

  const videoClips: PanelClip[] = [];
  const tracks = await seq.getVideoTrackCount();
  for (let t = 0; t < tracks; t++) {
    const track = await seq.getVideoTrack(t);
    for (const item of track.getTrackItems(ppro.Constants.TrackItemType.CLIP, false)) {
      const projectItem = await item.getProjectItem();
      let mediaPath = '';
      let offline = false;
      if (projectItem) {
        const clip = ppro.ClipProjectItem.cast(projectItem);
        mediaPath = clip ? await clip.getMediaFilePath() : '';
        offline = clip ? await clip.isOffline() : false;
      }
      videoClips.push({
        name: await item.getName(),
        track: t,
        mediaPath,
        offline,
        enabled: !(await item.isDisabled()),
        recordIn: rel((await item.getStartTime()).ticks),
        recordOut: rel((await item.getEndTime()).ticks),
        sourceInSec: ticksToSeconds((await item.getInPoint()).ticks),
        sourceOutSec: ticksToSeconds((await item.getOutPoint()).ticks),
      });
    }
  }

  const markers: PanelSequenceMarker[] = [];
  for (const m of (await ppro.Markers.getMarkers(seq)).getMarkers()) {
    const comments = m.getComments();
    // Markers an earlier placement added are the app's, not the editor's.
    if (V2M_TAG.test(comments)) continue;
    markers.push({ frame: rel(m.getStart().ticks), durationFrames: ticksToFrame(m.getDuration().ticks, timebase), name: m.getName(), note: comments });
  }
  if (end <= 0) throw new HostError(`Sequence "${seq.name}" is empty.`);
  return { name: seq.name, editor: 'premiere', rate, dropFrame: false, durationFrames: end, videoClips, markers };
}
