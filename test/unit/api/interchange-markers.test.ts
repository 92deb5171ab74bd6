import { describe, expect, it } from 'vitest';
import { interchangeMarkers, planForTimeline } from '../../../electron/core/api/timeline-import.ts';
import type { EditorTimeline } from '../../../electron/core/timeline/index.ts';
import { fakeAnalysis } from '../rhythm/analysis-fixture.ts';

const timeline: EditorTimeline = {
  name: 'Seq', rate: { num: 25, den: 1 }, dropFrame: false, startFrame: 0, durationFrames: 250,
  videoTracks: [{ name: 'V1', kind: 'video', clips: [
    { name: 'a', mediaId: null, mediaPath: '/a.mov', sourceIn: 0, sourceOut: 100, recordIn: 0, recordOut: 100, enabled: true },
    { name: 'b', mediaId: null, mediaPath: '/b.mov', sourceIn: 0, sourceOut: 150, recordIn: 100, recordOut: 250, enabled: true },
  ] }],
  audioTracks: [],
  markers: [{ frame: 175, durationFrames: 0, name: 'Door slam', note: 'hit this', color: 'red', kind: 'user' }],
  media: [],
};

describe('markers sent back to the editor', () => {
  it('keeps the editor’s own markers as they were and drops the user accents that only restate them', () => {
    const plan = {
      cuts: [{ timeSec: 4 }],
      accents: [{ timeSec: 4, strength: 1, kind: 'cut' as const }, { timeSec: 7, strength: 1, kind: 'user' as const }, { timeSec: 2, strength: 0.6, kind: 'visual-beat' as const }],
    };
    const m = interchangeMarkers(plan, timeline.rate, 25, timeline);
    expect(m.map((x) => [x.frame, x.kind, x.name])).toEqual([[50, 'visual-beat', expect.any(String)], [100, 'cut', expect.any(String)], [175, 'user', 'Door slam']]);
    expect(m[2]!.note).toBe('hit this');
    // Without an imported timeline every plan marker goes out.
    expect(interchangeMarkers(plan, timeline.rate, 25, null).map((x) => x.frame)).toEqual([50, 100, 175]);
  });
});

describe('planning a timeline’s picture', () => {
  it('puts the cuts on the edit points (kind edit) and the markers in as strong user accents', () => {
    const a = fakeAnalysis({ durationSec: 10, cuts: [{ timeSec: 3.3, score: 40 }] });
    const p = planForTimeline(a, timeline);
    expect(p.cuts.map((c) => [c.timeSec, c.kind])).toEqual([[4, 'edit']]);
    expect(p.accents.find((x) => x.timeSec === 7)).toEqual({ timeSec: 7, strength: 1, kind: 'user' });
    expect(p.accents.find((x) => x.timeSec === 4)?.kind).toBe('cut');
    expect(p.accents.some((x) => Math.abs(x.timeSec - 3.3) < 0.01 && x.kind === 'cut')).toBe(false);
  });
});
