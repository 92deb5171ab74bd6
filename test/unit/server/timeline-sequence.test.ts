import { describe, expect, it } from 'vitest';
import type { EditorTimeline } from '../../../electron/core/timeline/index.ts';
import { editPointFrames, pictureFor } from '../../../electron/server/panel-sequence.ts';
import { sequenceFromTimeline } from '../../../electron/server/timeline-sequence.ts';

const rate = { num: 30000, den: 1001 };
const timeline: EditorTimeline = {
  name: 'Promo', rate, dropFrame: true, startFrame: 107892, durationFrames: 300,
  media: [{ id: 'f1', name: 'take.mov', path: '/media/take.mov', url: 'file:///media/take.mov', durationFrames: 900, rate, startFrame: 1800 }],
  videoTracks: [
    { name: 'V1', kind: 'video', clips: [
      { name: 'take', mediaId: 'f1', mediaPath: '/media/take.mov', sourceIn: 1800, sourceOut: 1950, recordIn: 0, recordOut: 150, enabled: true },
      { name: 'take', mediaId: 'f1', mediaPath: '/media/take.mov', sourceIn: 1950, sourceOut: 2100, recordIn: 150, recordOut: 300, enabled: true },
    ] },
    { name: 'V2', kind: 'video', clips: [{ name: 'Title', mediaId: null, mediaPath: null, sourceIn: 0, sourceOut: 60, recordIn: 30, recordOut: 90, enabled: false }] },
  ],
  audioTracks: [],
  markers: [{ frame: 45, durationFrames: 0, name: 'Hit', note: 'door', color: 'red', kind: 'user' }],
};

describe('an exported timeline as a panel sequence', () => {
  it('keeps frames and tracks, counts source seconds from the media start, and carries the markers', () => {
    const seq = sequenceFromTimeline(timeline, 'resolve');
    expect(seq).toMatchObject({ name: 'Promo', editor: 'resolve', rate, dropFrame: true, durationFrames: 300 });
    expect(seq.videoClips.map((c) => [c.track, c.recordIn, c.recordOut, c.mediaPath, c.enabled])).toEqual([
      [0, 0, 150, '/media/take.mov', true], [0, 150, 300, '/media/take.mov', true], [1, 30, 90, '', false],
    ]);
    expect(seq.videoClips[1]!.sourceInSec).toBeCloseTo((150 * 1001) / 30000, 9);
    expect(seq.markers).toEqual([{ frame: 45, durationFrames: 0, name: 'Hit', note: 'door' }]);
    // The razor cut of one take reads as a straight source, as the panel's own sequence would.
    expect(editPointFrames(seq)).toEqual([150]);
    expect(pictureFor(seq)).toEqual({ kind: 'source', path: '/media/take.mov' });
  });
});
