import type { PanelMarker, PanelPlacement } from '../../../electron/shared/panel-protocol.ts';
import type { HostFolderItem, HostMarkers, HostProject, HostProjectItem, HostSequence, PremiereHost } from './host-types.ts';
import { HostError, V2M_TAG } from './read-sequence.ts';
import { frameToTicks, rateFromTimebase } from './ticks.ts';

// "Place music": import the WAV, lay it at the sequence start on an empty audio track, and add
// the markers, as one undoable transaction. Markers from an earlier placement (tagged [v2m:id]
// in their comments, Premiere markers have no custom data) are removed in the same transaction.

export interface PlaceResult {
  audioTrackIndex: number;
  markersAdded: number;
  markersReplaced: number;
}

/** Our colour names on Premiere's marker palette. */
export function markerColorIndex(ppro: PremiereHost, color: string): number {
  const c = ppro.Constants.MarkerColor;
  const map: Record<string, number> = { blue: c.BLUE, cyan: c.CYAN, green: c.GREEN, yellow: c.YELLOW, red: c.RED, purple: c.MAGNETA, orange: c.ORANGE };
  return map[color] ?? c.GREEN;
}

async function findImported(ppro: PremiereHost, folder: HostFolderItem, mediaPath: string): Promise<HostProjectItem | null> {
  for (const item of await folder.getItems()) {
    if (item.type === ppro.ProjectItem.TYPE_BIN) {
      const bin = ppro.FolderItem.cast(item);
      const found = bin ? await findImported(ppro, bin, mediaPath) : null;
      if (found) return found;
    } else if (item.type === ppro.ProjectItem.TYPE_CLIP) {
      const clip = ppro.ClipProjectItem.cast(item);
      if (clip && samePath(await clip.getMediaFilePath(), mediaPath)) return item;
    }
  }
  return null;
}

const samePath = (a: string, b: string): boolean => a.replace(/\\/g, '/').toLowerCase() === b.replace(/\\/g, '/').toLowerCase();

/** The first audio track with no clip (a new one past the last when all are used). */
async function emptyAudioTrack(ppro: PremiereHost, seq: HostSequence): Promise<number> {
  const count = await seq.getAudioTrackCount();
  for (let i = 0; i < count; i++) {
    const track = await seq.getAudioTrack(i);
    if (track.getTrackItems(ppro.Constants.TrackItemType.CLIP, false).length === 0) return i;
  }
  return count;
}

const tagged = (m: PanelMarker): string => `${m.note}\n[v2m:${m.id}]`;

export async function placeMusic(ppro: PremiereHost, project: HostProject, seq: HostSequence, placement: PanelPlacement): Promise<PlaceResult> {
  const timebase = await seq.getTimebase();
  const rate = rateFromTimebase(timebase);
  if (rate.num * placement.rate.den !== placement.rate.num * rate.den) {
    throw new HostError(`Sequence "${seq.name}" runs at ${rate.num}/${rate.den} fps but the music was placed for ${placement.rate.num}/${placement.rate.den} fps: activate the sequence you sent.`);
  }
  const root = await project.getRootItem();
  let item = await findImported(ppro, root, placement.musicPath);
  if (!item) {
    const ok = await project.importFiles([placement.musicPath], true);
    item = ok ? await findImported(ppro, root, placement.musicPath) : null;
    if (!item) throw new HostError(`Premiere Pro could not import ${placement.musicPath}.`);
  }
  const audioTrackIndex = await emptyAudioTrack(ppro, seq);
  const markers: HostMarkers = await ppro.Markers.getMarkers(seq);
  const old = markers.getMarkers().filter((m) => V2M_TAG.test(m.getComments()));
  const editor = ppro.SequenceEditor.getEditor(seq);
  const zero = ppro.TickTime.TIME_ZERO;
  const music = item;

  let placed = false;
  project.lockedAccess(() => {
    placed = project.executeTransaction((ca) => {
      for (const m of old) ca.addAction(markers.createRemoveMarkerAction(m));
      ca.addAction(editor.createOverwriteItemAction(music, ppro.TickTime.createWithTicks(frameToTicks(placement.startFrame, timebase)), 0, audioTrackIndex));
      for (const m of placement.markers) {
        ca.addAction(markers.createAddMarkerAction(m.name, ppro.Marker.MARKER_TYPE_COMMENT, ppro.TickTime.createWithTicks(frameToTicks(m.frame, timebase)),
          m.durationFrames > 0 ? ppro.TickTime.createWithTicks(frameToTicks(m.durationFrames, timebase)) : zero, tagged(m)));
      }
    }, 'V2M Studio: place music and markers');
  });
  if (!placed) throw new HostError('Premiere Pro refused the placement (nothing was changed).');

  // A marker's colour can only be set on the marker object, which exists once the add ran:
  // a second, small transaction colours the markers just added.
  const byId = new Map(placement.markers.map((m) => [m.id, m]));
  const added = (await ppro.Markers.getMarkers(seq)).getMarkers();
  project.lockedAccess(() => {
    project.executeTransaction((ca) => {
      for (const marker of added) {
        const id = V2M_TAG.exec(marker.getComments())?.[1];
        const m = id ? byId.get(id) : undefined;
        if (m) ca.addAction(marker.createSetColorByIndexAction(markerColorIndex(ppro, m.color)));
      }
    }, 'V2M Studio: colour markers');
  });
  return { audioTrackIndex, markersAdded: placement.markers.length, markersReplaced: old.length };
}
