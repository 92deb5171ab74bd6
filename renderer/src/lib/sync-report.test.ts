import { describe, expect, it } from 'vitest';
import { accentsKey } from '../../../electron/shared/accents-key.ts';
import type { PlanAccent } from '../../../electron/shared/domain.ts';
import { readSyncReport, syncFreshness } from './sync-report.ts';

const plan: PlanAccent[] = [
  { id: 'a1', timeSec: 1, strength: 1, kind: 'cut' },
  { id: 'a2', timeSec: 2, strength: 0.3, kind: 'visual-beat' },
  { id: 'a3', timeSec: 3, strength: 0.9, kind: 'cut' },
];
const stored = {
  accentsKey: accentsKey(plan),
  hitRate: 0.5, hits: 1,
  accents: [{ time: 3, hit: false, nearestOnset: 3.2, offset: 0.2 }, { time: 1, hit: true, nearestOnset: 1.012, offset: 0.012 }],
  offsets: { count: 1, mean: 0.012, median: 0.012, meanAbs: 0.012, std: 0, min: 0.012, max: 0.012, histogram: [] },
  beatScores: { bcs: 0.75, bhs: 0.5, total: 4, cover: 3, hit: 2 },
};

describe('the sync report in the UI', () => {
  it('reads per-accent offsets, offset statistics and beat scores (ms)', () => {
    const s = readSyncReport(stored)!;
    expect(s.accents).toEqual([{ time: 1, offsetMs: 12, hit: true }, { time: 3, offsetMs: 200, hit: false }]);
    expect(s.offsets).toEqual({ meanMs: 12, medianMs: 12, meanAbsMs: 12, stdMs: 0 });
    expect(s.beatScores).toEqual({ bcs: 0.75, bhs: 0.5 });
    expect(s.missedAccents).toEqual([3]);
    expect(readSyncReport({ offsets: { mean: 'x' }, beatScores: null })).toMatchObject({ offsets: null, beatScores: null, accentsKey: null });
  });

  it('is fresh while the plan\'s accents are the ones it measured', () => {
    expect(syncFreshness(readSyncReport(stored)!, plan)).toEqual({ stale: false });
  });

  it('is stale, saying why, once accents move, appear or go', () => {
    const s = readSyncReport(stored)!;
    const moved = plan.map((a) => (a.id === 'a3' ? { ...a, timeSec: 3.4 } : a));
    expect(syncFreshness(s, moved)).toEqual({ stale: true, reason: 'The plan changed after this was measured: 1 accent moved.' });
    expect(syncFreshness(s, [...plan, { id: 'a4', timeSec: 4, strength: 1, kind: 'user' }]))
      .toEqual({ stale: true, reason: 'The plan changed after this was measured: 1 accent added.' });
    expect(syncFreshness(s, plan.slice(1))).toMatchObject({ stale: true, reason: expect.stringMatching(/1 accent removed/) });
    // Only an optional accent changed: the measured ones are the same, but the report is still about another plan.
    expect(syncFreshness(s, plan.map((a) => (a.id === 'a2' ? { ...a, strength: 0.2 } : a)))).toMatchObject({ stale: true, reason: expect.stringMatching(/strengths or optional accents/) });
  });

  it('is stale when an older version stored it without the plan\'s key', () => {
    expect(syncFreshness(readSyncReport({ ...stored, accentsKey: undefined })!, plan)).toMatchObject({ stale: true, reason: expect.stringMatching(/does not record which plan/) });
  });
});
