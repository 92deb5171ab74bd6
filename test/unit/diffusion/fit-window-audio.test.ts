import { describe, expect, it } from 'vitest';
import { fitWindowAudio } from '../../../electron/core/diffusion/diffv2m-generator.ts';

describe('Diff-V2M window audio', () => {
  it('fits decoded window audio: trims within 1 %, stretches otherwise', () => {
    const planar = Float32Array.from({ length: 2 * 1000 }, (_, i) => (i < 1000 ? i : -i));
    const trim = fitWindowAudio(planar, 1000, 2, 995);
    expect(trim.stretched).toBe(false);
    expect(Array.from(trim.audio.subarray(0, 4))).toEqual([0, -1000, 1, -1001]);
    expect(trim.audio[2 * 994]).toBe(994);
    const pad = fitWindowAudio(planar, 1000, 2, 1005);
    expect([pad.stretched, pad.audio[2 * 999], pad.audio[2 * 1000]]).toEqual([false, 999, 0]);
    const stretch = fitWindowAudio(planar, 1000, 2, 1999);
    expect(stretch.stretched).toBe(true);
    expect(stretch.audio[2 * 1998]).toBe(999);
    expect(stretch.audio[2]).toBeCloseTo(0.5, 6);
  });
});
