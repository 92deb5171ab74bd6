import { describe, expect, it } from 'vitest';
import { FlashFilter, type FlashFilterMode } from '../../../electron/core/video/scene/index.ts';

/** Runs frames first..last through a filter; `above` lists the above-threshold frames. */
function run(mode: FlashFilterMode, length: number, above: number[], last: number, first = 0): number[] {
  const f = new FlashFilter(mode, length);
  const set = new Set(above);
  const cuts: number[] = [];
  for (let n = first; n <= last; n++) cuts.push(...f.filter(n, set.has(n)));
  return cuts;
}

describe('FlashFilter (PySceneDetect 0.6.6)', () => {
  it('allows no cut before first frame + min_scene_len, in either mode', () => {
    for (const mode of ['merge', 'suppress'] as const) {
      expect(run(mode, 3, [2], 10), mode).toEqual([]);
      expect(run(mode, 3, [3], 10), mode).toEqual([3]);
      expect(run(mode, 15, [14], 40, 0), mode).toEqual([]);
      expect(run(mode, 15, [115], 140, 100), mode).toEqual([115]);
    }
  });

  it('MERGE drops close cuts before the first cut, then folds bursts into their last frame', () => {
    // L = 3. Frame 1 is too close to the start (dropped, merging not yet enabled); 5 is a cut;
    // 6, 8, 10 come too soon: merging starts at 6 and, after 3 quiet frames (13) with a run of
    // 10 − 6 ≥ 3, emits the LAST above-threshold frame, 10.
    expect(run('merge', 3, [1, 5, 6, 8, 10], 20)).toEqual([5, 10]);
    // The same frames in SUPPRESS mode: each cut only needs 3 frames since the last cut.
    expect(run('suppress', 3, [1, 5, 6, 8, 10], 20)).toEqual([5, 8]);
  });

  it('MERGE emits a merged cut only after L quiet frames and a run of at least L', () => {
    // Burst 6..7 (run 1 < 3) stays pending; 11 extends the run to 11 − 6 = 5; emitted at 14.
    const f = new FlashFilter('merge', 3);
    const above = new Set([1, 5, 6, 7, 11]);
    const emitted: Array<[number, number[]]> = [];
    for (let n = 0; n <= 16; n++) {
      const c = f.filter(n, above.has(n));
      if (c.length) emitted.push([n, c]);
    }
    expect(emitted).toEqual([[5, [5]], [14, [11]]]);
  });

  it('MERGE never emits a merge still pending at the end of the video', () => {
    // Run 6..9 (9 − 6 = 3) is released three quiet frames after 9, at frame 12.
    expect(run('merge', 3, [5, 6, 7, 8, 9], 11)).toEqual([5]);
    expect(run('merge', 3, [5, 6, 7, 8, 9], 12)).toEqual([5, 9]);
    // A run shorter than L (6..8) is never released, however long the quiet.
    expect(run('merge', 3, [5, 6, 7, 8], 30)).toEqual([5]);
  });

  it('length 0 disables the filter: every above-threshold frame is a cut', () => {
    expect(run('merge', 0, [0, 1, 2, 7], 9)).toEqual([0, 1, 2, 7]);
    expect(run('suppress', 0, [3, 4], 9)).toEqual([3, 4]);
  });

  it('rejects bad options', () => {
    expect(() => new FlashFilter('merge', -1)).toThrow(/min_scene_len/);
    expect(() => new FlashFilter('merge', 1.5)).toThrow(/min_scene_len/);
    expect(() => new FlashFilter('other' as FlashFilterMode, 3)).toThrow(/Unknown flash filter mode/);
  });
});
