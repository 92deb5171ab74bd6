import { describe, expect, it } from 'vitest';
// Test-only: the engine's own edit function checks that the edits we send replay to our preview.
import { applyPlanEdit } from '../../../../electron/core/store/plan-edits.ts';
import type { RhythmPlan } from '../../../../electron/shared/domain.ts';
import { MarkerDrag } from './marker-drag.ts';
import { addMarker, deleteMarkers, estimateBpm, moveMarkers, OdfStroke } from './plan-edits.ts';

const ids = (times: readonly number[]): string[] => times.map((_, i) => `c${i + 1}`);
const plan = (cuts: number[]): RhythmPlan => ({ cuts: cuts.map((t, i) => ({ id: `c${i + 1}`, timeSec: t, kind: 'detected' })), accents: [], odf: [0, 0, 0, 0, 0], tempo: null });
const replay = (cuts: number[], edits: ReturnType<typeof deleteMarkers>): number[] =>
  edits.reduce((p, e) => applyPlanEdit(p, e, 24), plan(cuts)).cuts.map((c) => c.timeSec);

describe('plan edits from timeline gestures', () => {
  it('moves several markers with edits addressed by id, replaying to the preview', () => {
    const cuts = [1, 2, 3, 10];
    const r = moveMarkers('cut', cuts, [0, 1, 2], [2.5, 3.5, 4.5], 25, 24, ids(cuts));
    expect(r.times).toEqual([2.5, 3.5, 4.5, 10]);
    // The engine's own edit function, replayed, ends where the preview said.
    expect(replay(cuts, r.edits)).toEqual(r.times);
    const left = moveMarkers('cut', cuts, [1, 2, 3], [0.5, 1.5, 8.5], 25, 24, ids(cuts));
    expect(replay(cuts, left.edits)).toEqual(left.times);
    expect(left.times).toEqual([0.5, 1, 1.5, 8.5]);
  });

  it('never produces a duplicate time, which the engine refuses', () => {
    const r = moveMarkers('cut', [1, 2], [0], [2], 25, 24, ['c1', 'c2']);
    expect(r.edits).toEqual([{ kind: 'moveCut', id: 'c1', toSec: 2.04 }]);
    expect(r.times).toEqual([2, 2.04]);
    expect(replay([1, 2], r.edits)).toEqual(r.times);
  });

  it('skips markers that did not move and deletes the selection by id, once each', () => {
    expect(moveMarkers('accent', [1, 2], [0], [1], 25, 24, ['a1', 'a2']).edits).toEqual([]);
    const del = deleteMarkers('cut', [2, 0, 0], ['c1', 'c2', 'c3']);
    expect(del).toEqual([{ kind: 'deleteCut', id: 'c1' }, { kind: 'deleteCut', id: 'c3' }]);
    expect(replay([1, 2, 3], del)).toEqual([2]);
  });

  it('adds at a free time inside the clip', () => {
    expect(addMarker('accent', [1], 1, 25, 24)).toEqual({ edit: { kind: 'addAccent', atSec: 1.04 }, timeSec: 1.04 });
    expect(addMarker('cut', [], 30, 25, 24).timeSec).toBe(24);
  });

  it('drags the grabbed marker to a snapped time and keeps the others’ spacing', () => {
    const d = new MarkerDrag('cut', [1, 2, 6], [0, 1], 1, 2, ['c1', 'c2', 'c3']);
    d.update(3.013, { fps: 25, pxPerSec: 100, durationSec: 24 });
    expect(d.deltaSec).toBeCloseTo(1.0, 9);
    expect(d.snapped).toBe('frame');
    expect(d.preview(25, 24).times).toEqual([2, 3, 6]);
    d.update(5.97, { fps: 25, pxPerSec: 100, durationSec: 24, targets: [6] });
    expect(d.snapped).toBe('target');
  });

  it('draws the ODF across bars, interpolating between pointer samples, as one edit', () => {
    const s = new OdfStroke([0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    s.add(1.5, 0);
    s.add(4.5, 0.9);
    expect(s.preview).toEqual([0.1, 0, 0.3, 0.6, 0.9, 0.1]);
    expect(s.edit()).toEqual({ kind: 'setOdf', startIndex: 1, values: [0, 0.3, 0.6, 0.9] });
    const none = new OdfStroke([0.5]);
    none.add(0.2, 0.5);
    expect(none.edit()).toBeNull();
    const out = new OdfStroke([0.5, 0.5]);
    out.add(1.5, 2);
    expect(out.preview).toEqual([0.5, 1]);
  });

  it('offers a tempo from the median marker gap, folded into 70–180 BPM', () => {
    expect(estimateBpm([0, 0.5, 1, 1.5])).toBe(120);
    expect(estimateBpm([0, 2, 4])).toBe(120);
    expect(estimateBpm([0, 0.25, 0.5])).toBe(120);
    expect(estimateBpm([3])).toBeNull();
  });
});
