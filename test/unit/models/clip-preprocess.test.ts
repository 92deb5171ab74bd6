import { describe, expect, it } from 'vitest';
import { clipPixels, clipSamplingSize, l2NormalizeRows } from '../../../electron/core/models/clip-preprocess.ts';
import type { ClipRecipe } from '../../../electron/core/models/manifest.ts';
import { planOdfToModelScale, toUnitRange } from '../../../electron/core/models/clip-rhythm.ts';

const OPENAI: ClipRecipe = {
  resize: { short_side: 224, interpolation: 'bicubic' }, center_crop: 224, pixel_scale: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711], layout: 'NCHW RGB float32', l2_normalize: false, dim: 512,
};

describe('CLIP preprocessing per the manifest', () => {
  it('normalises each channel with the recipe mean and std, CHW order', () => {
    const r = { ...OPENAI, resize: { short_side: 2, interpolation: 'bicubic' }, center_crop: 2 };
    // 2×2 RGB: pixel (y, x) = [10·(2y+x), 100, 255]
    const rgb = Uint8Array.from([0, 100, 255, 10, 100, 255, 20, 100, 255, 30, 100, 255]);
    const px = clipPixels(rgb, 2, r);
    expect(px.length).toBe(12);
    const want = (v: number, c: number) => (v / 255 - r.mean[c]!) / r.std[c]!;
    [0, 10, 20, 30].forEach((v, i) => expect(px[i]).toBeCloseTo(want(v, 0), 6));
    for (let i = 4; i < 8; i++) expect(px[i]).toBeCloseTo(want(100, 1), 6);
    for (let i = 8; i < 12; i++) expect(px[i]).toBeCloseTo(want(255, 2), 6);
  });

  it('centre-crops like torchvision: offset round((side − crop)/2)', () => {
    const r = { ...OPENAI, resize: { short_side: 5, interpolation: 'bicubic' }, center_crop: 2 };
    const rgb = new Uint8Array(5 * 5 * 3);
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) rgb[(y * 5 + x) * 3] = y * 5 + x;
    const px = clipPixels(rgb, 5, { ...r, mean: [0, 0, 0], std: [1, 1, 1], pixel_scale: 1 });
    // round(1.5) = 2: rows 2–3, columns 2–3.
    expect(Array.from(px.subarray(0, 4))).toEqual([12, 13, 17, 18]);
  });

  it('asks the frame stream for the recipe resize and refuses what it cannot do', () => {
    expect(clipSamplingSize(OPENAI)).toBe(224);
    expect(() => clipSamplingSize({ ...OPENAI, resize: { short_side: 224, interpolation: 'bilinear' } })).toThrow(/bicubic resizing only/);
    expect(() => clipSamplingSize({ ...OPENAI, resize: { short_side: 200, interpolation: 'bicubic' } })).toThrow(/crops 224 px from a 200 px/);
    expect(() => clipSamplingSize({ ...OPENAI, layout: 'NHWC' })).toThrow(/not NCHW RGB/);
    expect(() => clipPixels(new Uint8Array(10), 224, OPENAI)).toThrow(/Expected a 224×224 RGB frame/);
  });

  it('L2-normalises rows when the recipe says so', () => {
    const d = Float32Array.from([3, 4, 0, 0]);
    l2NormalizeRows(d, 2);
    expect(Array.from(d)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
  });
});

describe('ODF scales', () => {
  it('maps the predictor output to the plan range and an unedited plan back exactly', () => {
    const raw = Float32Array.from([-1.5, 0.25, 2, -0.5]);
    const unit = toUnitRange(raw);
    expect(unit).toEqual([0, 0.5, 1, 1 / 3.5]);
    const back = planOdfToModelScale(unit, raw);
    back.forEach((v, i) => expect(v).toBeCloseTo(raw[i]!, 6));
    // An edit (second 1 raised to the top) lands at the predictor's maximum.
    expect(planOdfToModelScale([0, 1, 1, 0], raw)[1]).toBe(2);
    expect(toUnitRange([0.3, 0.3])).toEqual([0, 0]);
  });
});
