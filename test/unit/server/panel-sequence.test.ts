import { describe, expect, it } from 'vitest';
import { placementMarkers } from '../../../electron/server/panel-markers.ts';
import { editPointFrames, offlineClips, offlineMessage, pictureFor, secToFrame } from '../../../electron/server/panel-sequence.ts';
import type { PanelClip, PanelSequence } from '../../../electron/shared/panel-protocol.ts';

const ntsc = { num: 30000, den: 1001 };
const clip = (over: Partial<PanelClip>): PanelClip => ({
  name: 'A', track: 0, mediaPath: '/m/a.mov', offline: false, enabled: true, recordIn: 0, recordOut: 100, sourceInSec: 0, sourceOutSec: 100 * 1001 / 30000, ...over,
});
const seq = (clips: PanelClip[], over: Partial<PanelSequence> = {}): PanelSequence => ({
  name: 'Seq', editor: 'test', rate: ntsc, dropFrame: true, durationFrames: 300, videoClips: clips, markers: [], ...over,
});
const sec = (f: number) => (f * 1001) / 30000;

describe('sequences a panel sends', () => {
  it('finds the edit points of the main (lowest) track, without 0 and the end', () => {
    const s = seq([
      clip({ recordIn: 0, recordOut: 100, sourceInSec: 0 }),
      clip({ recordIn: 100, recordOut: 230, sourceInSec: sec(100) }),
      clip({ recordIn: 230, recordOut: 300, sourceInSec: sec(230) }),
      clip({ track: 1, recordIn: 50, recordOut: 60, mediaPath: '/m/title.mov' }),
    ]);
    expect(editPointFrames(s)).toEqual([100, 230]);
  });

  it('uses one straight source as the picture, and asks for a reference movie otherwise', () => {
    const straight = seq([clip({ recordOut: 100 }), clip({ recordIn: 100, recordOut: 300, sourceInSec: sec(100) })]);
    expect(pictureFor(straight)).toEqual({ kind: 'source', path: '/m/a.mov' });
    const twoFiles = seq([clip({}), clip({ recordIn: 100, recordOut: 300, mediaPath: '/m/b.mov', sourceInSec: 0 })]);
    const p = pictureFor(twoFiles);
    expect(p.kind).toBe('none');
    expect(p.kind === 'none' && p.reason).toMatch(/cuts between 2 source files.*reference movie/);
    const reordered = seq([clip({ recordIn: 0, recordOut: 100, sourceInSec: sec(200) })]);
    expect(pictureFor(reordered).kind === 'none' && (pictureFor(reordered) as { reason: string }).reason).toMatch(/out of order/);
    expect(pictureFor({ ...twoFiles, referenceMovie: '/r.mov' })).toEqual({ kind: 'reference', path: '/r.mov' });
    expect(pictureFor(seq([])).kind).toBe('none');
  });

  it('lists offline media by clip name and path, skipping disabled clips and generators', () => {
    const s = seq([
      clip({ name: 'Interview', mediaPath: '/gone/interview.mov' }),
      clip({ name: 'Broll', mediaPath: '/here/broll.mov', offline: true }),
      clip({ name: 'Off', mediaPath: '/gone/off.mov', enabled: false }),
      clip({ name: 'Title', mediaPath: '' }),
      clip({ name: 'Fine', mediaPath: '/here/fine.mov' }),
    ]);
    const missing = offlineClips(s, (p) => p.startsWith('/here/'));
    expect(missing.map((c) => c.name)).toEqual(['Interview', 'Broll']);
    expect(offlineMessage(s, missing)).toBe('Sequence "Seq" has 2 clips with offline media: "Interview" (/gone/interview.mov), "Broll" (/here/broll.mov). Relink the media in the editor and send the sequence again.');
  });

  it('turns plan cuts and accents into frame-exact markers, leaving out what the editor already has', () => {
    const plan = { cuts: [sec(100), 4.2, 9.9], accents: [sec(45), 2.5, 12] };
    const markers = placementMarkers(plan, { rate: ntsc, durationFrames: 300, editFrames: [100], sequenceMarkerFrames: [45] });
    expect(markers.map((m) => [m.kind, m.frame, m.color])).toEqual([
      ['accent', secToFrame(2.5, ntsc), 'yellow'],
      ['cut', secToFrame(4.2, ntsc), 'blue'],
      ['cut', secToFrame(9.9, ntsc), 'blue'],
    ]);
    expect(secToFrame(4.2, ntsc)).toBe(126);
    expect(new Set(markers.map((m) => m.id)).size).toBe(markers.length);
    // Objects with their own ids and kinds (the editable plan) keep them.
    const rich = placementMarkers({ cuts: [], accents: [{ timeSec: 1, id: 'a7', kind: 'visual-beat', strength: 0.8 }] }, { rate: { num: 25, den: 1 }, durationFrames: 250, editFrames: [], sequenceMarkerFrames: [] });
    expect(rich).toEqual([{ id: 'v2m-accent-a7', frame: 25, durationFrames: 0, name: 'V2M Visual beat', note: 'V2M Studio accent 1, strength 0.80', kind: 'visual-beat', color: 'green' }]);
  });
});
