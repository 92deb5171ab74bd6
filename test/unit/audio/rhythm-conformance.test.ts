import { describe, expect, it } from 'vitest';
import { beatTrack } from '../../../electron/core/audio/beat-track.ts';
import { framesToTime, onsetDetect } from '../../../electron/core/audio/onset-detect.ts';
import { onsetStrength } from '../../../electron/core/audio/onset-strength.ts';
import { estimateTempo } from '../../../electron/core/audio/tempo.ts';
import { tempogram, tempogramMean } from '../../../electron/core/audio/tempogram.ts';
import { clickTrack, librosaFixtures } from './fixtures.ts';

const fx = librosaFixtures();

describe.each([22050, 44100] as const)('librosa 0.11 rhythm conformance at %i Hz', (sr) => {
  const f = sr === 22050 ? fx.sr22050 : fx.sr44100;
  const y = clickTrack(sr);
  const env = onsetStrength(y, sr);
  const envMedian = onsetStrength(y, sr, { aggregate: 'median' });

  it('onset_detect: frames and times equal', () => {
    const frames = onsetDetect(env, { sampleRate: sr });
    expect(Array.from(frames)).toEqual(f.onset_detect_from_y_frames);
    // From librosa's own envelope, too.
    expect(Array.from(onsetDetect(Float32Array.from(f.onset_strength), { sampleRate: sr }))).toEqual(f.onset_detect_frames);
    const t = framesToTime(frames, sr, 512);
    t.forEach((v, i) => expect(v).toBeCloseTo(f.onset_detect_time[i]!, 12));
  });

  it('tempogram (win 384) columns and time mean', () => {
    const n = env.length;
    const tg = tempogram(env, 384);
    expect(tg.length).toBe(f.tempogram_shape[0] * f.tempogram_shape[1]);
    for (let k = 0; k < 16; k++) expect(Math.abs(tg[k * n + 100]! - f.tempogram_col100_first16[k]!)).toBeLessThan(1e-4);
    const mean = tempogramMean(env, 384);
    for (let k = 0; k < 16; k++) expect(Math.abs(mean[k]! - f.tempogram_mean_over_time_first16[k]!)).toBeLessThan(1e-4);
    // From librosa's own envelope the maths is float64 in both: near bit-equal.
    const tgRef = tempogram(Float32Array.from(f.onset_strength), 384);
    for (let k = 0; k < 16; k++) expect(Math.abs(tgRef[k * n + 100]! - f.tempogram_col100_first16[k]!)).toBeLessThan(1e-12);
  });

  it('tempo (median envelope) and beat_track equal', () => {
    expect(estimateTempo(envMedian, { sampleRate: sr })).toBe(f.tempo_from_median_env[0]);
    const bt = beatTrack(envMedian, { sampleRate: sr });
    expect(bt.bpm).toBe(f.beat_track_bpm[0]);
    expect(Array.from(bt.beats)).toEqual(f.beat_track_from_y_frames);
    const fromRef = beatTrack(Float32Array.from(f.onset_strength_median), { sampleRate: sr });
    expect(Array.from(fromRef.beats)).toEqual(f.beat_track_frames);
  });
});

describe('beatTrack edge cases', () => {
  it('returns no beats and tempo 0 for an all-zero envelope (librosa: (0.0, []))', () => {
    expect(beatTrack(new Float32Array(100), { sampleRate: 22050 })).toEqual({ bpm: 0, beats: new Int32Array(0) });
  });
  it('rejects a non-finite envelope', () => {
    const e = new Float32Array(10);
    e[3] = Number.NaN;
    expect(() => beatTrack(e, { sampleRate: 22050 })).toThrow(/non-finite/);
  });
  it('onsetDetect returns nothing for a flat or non-finite envelope', () => {
    expect(onsetDetect(new Float32Array(50).fill(3), { sampleRate: 22050 }).length).toBe(0);
    expect(onsetDetect(Float32Array.from([0, 1, Infinity, 0]), { sampleRate: 22050 }).length).toBe(0);
  });
});
