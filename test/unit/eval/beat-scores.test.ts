import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { beatScores, d2mGanBeatBins, secondBins } from '../../../electron/core/eval/beat-scores.ts';
import { sharedData } from '../../helpers/paths.ts';
import { clickTrack, readF32, referenceFixtures } from '../audio/fixtures.ts';

const fx = JSON.parse(readFileSync(path.join(sharedData, 'reference-fixtures/eval_fixtures.json'), 'utf8'));

describe('BCS / BHS, D2M-GAN variant (eval_fixtures.json)', () => {
  it('sparse case: bins from our onset detector and the scores equal the official tool’s', () => {
    const gt = d2mGanBeatBins(readF32(path.join(referenceFixtures, 'bcs_gt_22050.f32')));
    const syn = d2mGanBeatBins(readF32(path.join(referenceFixtures, 'bcs_syn_22050.f32')));
    const want = fx.bcs_bhs_sparse;
    expect(Array.from(gt)).toEqual(want.gt_bins);
    expect(Array.from(syn)).toEqual(want.syn_bins);
    const s = beatScores(gt, syn);
    expect(s.bcs).toBe(want.BCS_official);
    expect(s.bhs).toBe(want.BHS);
  });

  it('click-track case: every second has a beat in both', () => {
    const bins = d2mGanBeatBins(clickTrack(22050));
    expect(Array.from(bins)).toEqual(fx.bcs_bhs_click.gt_bins);
    const s = beatScores(bins, bins);
    expect([s.bcs, s.bhs]).toEqual([fx.bcs_bhs_click.BCS_official, fx.bcs_bhs_click.BHS]);
  });

  it('bins by truncating to whole seconds; ceil(duration) bins', () => {
    expect(Array.from(secondBins([0.3, 2.6, 5.1], 8))).toEqual(fx.bcs_bhs_sparse.gt_bins);
    expect(Array.from(secondBins([0.999, 1.0], 2.01))).toEqual([1, 1, 0]);
  });

  it('refuses unequal lengths and an empty reference with actionable messages', () => {
    expect(() => beatScores([1, 0], [1])).toThrow(/equal lengths/);
    expect(() => beatScores([0, 0], [1, 1])).toThrow(/no beats/);
  });
});
