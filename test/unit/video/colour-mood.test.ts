import { describe, expect, it } from 'vitest';
import { colourStats } from '../../../electron/core/video/colour-stats.ts';
import { describeMood, overallMood, perSceneMood, perSecondMood, valenceArousal, type MoodInput } from '../../../electron/core/video/mood.ts';
import { sampleFrameFromBgr } from '../../../electron/core/video/sample-frame.ts';

const solid = (r: number, g: number, b: number, n = 16) => {
  const a = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) a.set([r, g, b], 3 * i);
  return a;
};

describe('colourStats', () => {
  it('grey: no saturation, warmth or colourfulness', () => {
    const s = colourStats(solid(128, 128, 128));
    expect(s).toEqual({ brightness: 128 / 255, saturation: 0, warmth: 0, colourfulness: 0 });
  });

  it('pure red: full saturation and warmth; colourfulness 0.3·|(255, 127.5)|', () => {
    const s = colourStats(solid(255, 0, 0));
    expect(s.brightness).toBeCloseTo(0.299, 12);
    expect(s.saturation).toBe(1);
    expect(s.warmth).toBe(1);
    expect(s.colourfulness).toBeCloseTo(0.3 * Math.hypot(255, 127.5), 9);
  });

  it('half blue, half yellow: Hasler–Süsstrunk σ and μ by hand', () => {
    const img = new Uint8Array([...solid(0, 0, 255, 2), ...solid(255, 255, 0, 2)]);
    // rg = 0 everywhere; yb = −255 (blue) and +255 (yellow): σ_yb = 255, μ = 0.
    expect(colourStats(img).colourfulness).toBeCloseTo(255, 9);
    expect(colourStats(img).warmth).toBeCloseTo(0, 12);
    expect(colourStats(solid(0, 0, 255)).warmth).toBe(-1);
  });

  it('rejects an empty or ragged buffer', () => {
    expect(() => colourStats(new Uint8Array(0))).toThrow(/packed RGB/);
    expect(() => colourStats(new Uint8Array(4))).toThrow(/packed RGB/);
  });
});

describe('valenceArousal', () => {
  it('follows the documented formula', () => {
    const c = { brightness: 0.5, saturation: 0.4, warmth: 0.1, colourfulness: 54.5 };
    const { valence, arousal } = valenceArousal(c, 0.3, 15);
    const P = (0.69 * 0.5 + 0.22 * 0.4) / 0.91;
    const A = (-0.31 * 0.5 + 0.6 * 0.4 + 0.31) / 0.91;
    const W = (1 + 0.2) / 2;
    expect(valence).toBeCloseTo(2 * (0.7 * P + 0.15 * 0.5 + 0.15 * W) - 1, 12);
    expect(arousal).toBeCloseTo(2 * (0.3 * A + 0.4 * 0.3 + 0.3 * 0.5) - 1, 12);
  });

  it('stays in [−1, 1] at the extremes and orders sensibly', () => {
    const dark = valenceArousal({ brightness: 0, saturation: 0, warmth: -1, colourfulness: 0 }, 0, 0);
    const bright = valenceArousal({ brightness: 1, saturation: 1, warmth: 1, colourfulness: 500 }, 1, 100);
    expect(dark.valence).toBeCloseTo(-1, 12);
    expect(bright.valence).toBeCloseTo(1, 12);
    expect(bright.arousal).toBeLessThanOrEqual(1);
    expect(dark.arousal).toBeGreaterThanOrEqual(-1);
    const calm = valenceArousal({ brightness: 0.5, saturation: 0.3, warmth: 0, colourfulness: 30 }, 0.05, 0);
    const busy = valenceArousal({ brightness: 0.5, saturation: 0.3, warmth: 0, colourfulness: 30 }, 0.8, 24);
    expect(busy.arousal).toBeGreaterThan(calm.arousal);
    expect(describeMood({ ...bright, ...{ brightness: 1, saturation: 1, warmth: 1, colourfulness: 500, motionEnergy: 1, cutRate: 100 } })).toBe('positive, energetic');
  });
});

describe('per-second and per-scene mood', () => {
  // 4 s at 10 fps; colour samples at the start of each second; a cut at 2.0 s; motion 1 in second 1.
  const frameTimes = Float64Array.from({ length: 40 }, (_, i) => i / 10);
  const curve = Float32Array.from({ length: 40 }, (_, i) => (i >= 10 && i < 20 ? 1 : 0));
  const dark = { brightness: 0.1, saturation: 0.1, warmth: 0, colourfulness: 5 };
  const light = { brightness: 0.9, saturation: 0.5, warmth: 0.2, colourfulness: 60 };
  const input: MoodInput = {
    durationSec: 4, startSec: 0, seconds: 4,
    sampleTimes: [0, 1, 2, 3], sampleColours: [dark, dark, light, light],
    frameTimes, curve, cutTimes: [2],
  };

  it('takes each second\'s sample colour and mean motion; counts cuts over ±5 s', () => {
    const s = perSecondMood(input);
    expect(Array.from(s.brightness)).toEqual([0.1, 0.1, 0.9, 0.9].map(Math.fround));
    expect(Array.from(s.motionEnergy)).toEqual([0, 1, 0, 0]);
    // The window is clipped to the 4 s clip: 1 cut in 4 s = 15 per minute, every second.
    for (const r of s.cutRate) expect(r).toBeCloseTo(15, 5);
    expect(s.valence[2]).toBeGreaterThan(s.valence[0]!);
    expect(s.arousal[1]).toBeGreaterThan(s.arousal[0]!);
  });

  it('splits at cuts and averages inside each scene', () => {
    const scenes = perSceneMood(input);
    expect(scenes.map((x) => [x.startSec, x.endSec])).toEqual([[0, 2], [2, 4]]);
    expect(scenes[0]!.brightness).toBeCloseTo(0.1, 12);
    expect(scenes[1]!.brightness).toBeCloseTo(0.9, 12);
    expect(scenes[0]!.motionEnergy).toBeCloseTo(0.5, 12);
    expect(scenes[0]!.cutRate).toBeCloseTo(30, 12); // 60 / 2 s
  });

  it('a scene shorter than the sampling interval borrows the nearest earlier sample', () => {
    const scenes = perSceneMood({ ...input, cutTimes: [2, 2.4] });
    expect(scenes).toHaveLength(3);
    expect(scenes[1]!.brightness).toBeCloseTo(0.9, 12); // samples at 2.0 lies inside [2, 2.4)
    const shortNoSample = perSceneMood({ ...input, cutTimes: [2.2, 2.6] })[1]!;
    expect(shortNoSample.brightness).toBeCloseTo(0.9, 12); // [2.2, 2.6): sample at 2.0
  });

  it('overall mood is the mean with the clip\'s cut rate', () => {
    const o = overallMood(perSecondMood(input), 1, 4);
    expect(o.brightness).toBeCloseTo(0.5, 6);
    expect(o.cutRate).toBe(15);
    expect(o.motionEnergy).toBeCloseTo(0.25, 6);
  });

  it('no samples: empty scene list and zero series', () => {
    const none = { ...input, sampleTimes: [], sampleColours: [] };
    expect(perSceneMood(none)).toEqual([]);
    expect(Array.from(perSecondMood(none).valence)).toEqual([0, 0, 0, 0]);
  });
});

describe('sampleFrameFromBgr', () => {
  it('takes the centre square, box-averages it to side×side and swaps BGR to RGB', () => {
    // 8×4 frame: centre square is columns 2..5; left half of it blue, right half red (BGR).
    const w = 8, h = 4;
    const bgr = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const px = x < 2 || x > 5 ? [0, 255, 0] : x < 4 ? [255, 0, 0] : [0, 0, 255];
        bgr.set(px, (y * w + x) * 3);
      }
    }
    const rgb = sampleFrameFromBgr(bgr, w, h, 2);
    expect(Array.from(rgb)).toEqual([0, 0, 255, 255, 0, 0, 0, 0, 255, 255, 0, 0]);
    const mixed = sampleFrameFromBgr(bgr, w, h, 1);
    expect(Array.from(mixed)).toEqual([128, 0, 128]); // mean of 8 blue and 8 red pixels, rounded
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => sampleFrameFromBgr(new Uint8Array(5), 2, 2)).toThrow(/expected 12 bytes/);
  });
});
