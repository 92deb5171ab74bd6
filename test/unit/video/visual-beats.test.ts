import { describe, expect, it } from 'vitest';
import { beatVector, peakPickFrames, visualBeats, DEFAULT_VISUAL_BEAT_PARAMS } from '../../../electron/core/video/visual-beats.ts';
import { sceneVector, secondsCovered } from '../../../electron/core/video/scene-vector.ts';

const times = (n: number, fps: number) => Float64Array.from({ length: n }, (_, i) => i / fps);

describe('peakPickFrames', () => {
  it('converts the time windows with ceil and librosa\'s +1 on the post windows', () => {
    expect(peakPickFrames(DEFAULT_VISUAL_BEAT_PARAMS, 30)).toEqual({ preMax: 8, postMax: 9, preAvg: 15, postAvg: 16, delta: 0.05, wait: 8 });
    // 0.25 s at 20 fps is exactly 5 frames, not 6 from floating-point noise.
    expect(peakPickFrames(DEFAULT_VISUAL_BEAT_PARAMS, 20)).toEqual({ preMax: 5, postMax: 6, preAvg: 10, postAvg: 11, delta: 0.05, wait: 5 });
    expect(peakPickFrames({ ...DEFAULT_VISUAL_BEAT_PARAMS, preMaxSec: 0, postMaxSec: 0 }, 25)).toMatchObject({ preMax: 0, postMax: 1 });
  });

  it('rejects negative windows and bad frame rates with a clear message', () => {
    expect(() => peakPickFrames({ ...DEFAULT_VISUAL_BEAT_PARAMS, waitSec: -1 }, 30)).toThrow(/waitSec must be a non-negative/);
    expect(() => peakPickFrames(DEFAULT_VISUAL_BEAT_PARAMS, 0)).toThrow(/positive frame rate/);
  });
});

describe('visualBeats', () => {
  it('finds isolated bumps at their frame times with their clipped height as strength', () => {
    const fps = 25;
    const x = new Float64Array(250);
    const bumps = [[30, 0.6], [100, 3.5], [180, 0.9]] as const;
    for (const [at, h] of bumps) {
      x[at - 1] = h / 2;
      x[at] = h;
      x[at + 1] = h / 2;
    }
    const beats = visualBeats(x, times(250, fps), fps);
    expect(beats).toEqual([
      { timeSec: 30 / fps, strength: 0.6 },
      { timeSec: 100 / fps, strength: 1 },
      { timeSec: 180 / fps, strength: 0.9 },
    ]);
  });

  it('keeps beats at least waitSec apart and ignores bumps below delta', () => {
    const fps = 20;
    const x = new Float64Array(200);
    x[50] = 1; // beat
    x[53] = 0.9; // 0.15 s later: within the 0.25 s wait (and the max window)
    x[120] = 0.04; // below delta (0.05) over a zero background
    const beats = visualBeats(x, times(200, fps), fps);
    expect(beats.map((b) => b.timeSec)).toEqual([2.5]);
  });

  it('uses the frames\' real times (variable frame rate)', () => {
    const x = Float64Array.from([0, 0, 0, 1, 0, 0, 0]);
    const t = Float64Array.from([0, 0.1, 0.15, 0.4, 0.45, 0.9, 1.0]);
    expect(visualBeats(x, t, 10)).toEqual([{ timeSec: 0.4, strength: 1 }]);
  });

  it('gives no beats for a still clip and checks its inputs', () => {
    expect(visualBeats(new Float64Array(100), times(100, 25), 25)).toEqual([]);
    expect(() => visualBeats([1, 2], [0], 25)).toThrow(/2 curve values but 1 frame times/);
  });
});

describe('per-second vectors', () => {
  it('beatVector keeps the strongest beat of each second', () => {
    const v = beatVector([{ timeSec: 0.2, strength: 0.3 }, { timeSec: 0.9, strength: 0.7 }, { timeSec: 2.5, strength: 0.4 }, { timeSec: 9, strength: 1 }], 4);
    expect(Array.from(v)).toEqual([Math.fround(0.7), 0, Math.fround(0.4), 0]);
  });

  it('sceneVector marks the seconds in which a new scene starts', () => {
    expect(Array.from(sceneVector([1.001, 6.006, 6.5, 13.1465], 15))).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(Array.from(sceneVector([], 3))).toEqual([0, 0, 0]);
  });

  it('secondsCovered counts every second a frame starts in (a 30 s clip gives 30)', () => {
    expect(secondsCovered(29 + 29 / 30)).toBe(30);
    expect(secondsCovered(23.99)).toBe(24);
    expect(secondsCovered(0)).toBe(1);
    expect(secondsCovered(NaN)).toBe(0);
  });
});
