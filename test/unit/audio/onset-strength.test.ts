import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { melSpectrogram } from '../../../electron/core/audio/mel-spectrogram.ts';
import { onsetStrength, onsetStrengthFromSpectrogram } from '../../../electron/core/audio/onset-strength.ts';
import { powerToDbInPlace } from '../../../electron/core/audio/power-to-db.ts';
import { fromBandMajor } from '../../../electron/core/audio/spectrogram.ts';
import { clickTrack, librosaFixtures, librosaTestData } from './fixtures.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
const maxOf = (a: ArrayLike<number>) => Math.max(...Array.from(a));

describe('onset strength (librosa 0.11 conformance)', () => {
  const fx = librosaFixtures();
  for (const sr of [22050, 44100] as const) {
    const f = sr === 22050 ? fx.sr22050 : fx.sr44100;
    it(`mel dB matches librosa on the ${sr} Hz click track`, () => {
      const y = clickTrack(sr);
      expect(y.length).toBe(f.n_samples);
      const mel = melSpectrogram(y, { sampleRate: sr });
      expect([mel.bins, mel.frames]).toEqual(f.mel_shape);
      powerToDbInPlace(mel.data);
      expect(maxOf(mel.data)).toBeCloseTo(f.mel_db_max, 3);
      expect(Math.min(...Array.from(mel.data))).toBeCloseTo(f.mel_db_min, 3);
      const frame10 = Array.from(mel.data.subarray(10 * 128, 10 * 128 + 8));
      expect(maxAbsDiff(frame10, f.mel_db_frame10_first8)).toBeLessThan(1e-3);
    });

    it(`mean and median envelopes match librosa on the ${sr} Hz click track (≤ 1e-4 of the max)`, () => {
      const y = clickTrack(sr);
      const mean = onsetStrength(y, sr);
      expect(mean).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(mean, f.onset_strength)).toBeLessThanOrEqual(1e-4 * maxOf(f.onset_strength));
      expect(Array.from(mean.subarray(0, 3))).toEqual([0, 0, 0]);
      const median = onsetStrength(y, sr, { aggregate: 'median' });
      expect(maxAbsDiff(median, f.onset_strength_median)).toBeLessThanOrEqual(1e-4 * maxOf(f.onset_strength_median));
    });
  }

  it('reproduces librosa-test-data beat-onset-000 from its mel dB matrix (detrend, center=False) to 1e-6', () => {
    const dir = path.join(librosaTestData, 'derived');
    const meta = JSON.parse(readFileSync(path.join(dir, 'beat-onset-000.json'), 'utf8')) as { D_shape: [number, number]; onsetenv: number[] };
    const raw = readFileSync(path.join(dir, 'beat-onset-000.D.f64le'));
    const d = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const [bins, frames] = meta.D_shape;
    const env = onsetStrengthFromSpectrogram(fromBandMajor(d, bins, frames), { lag: 1, maxSize: 1, center: false, detrend: true });
    expect(env).toBeInstanceOf(Float64Array);
    expect(env.length).toBe(frames);
    expect(env[0]).toBe(0);
    expect(maxAbsDiff(env.subarray(1), meta.onsetenv)).toBeLessThanOrEqual(1e-6);
  });

  it('supports a max filter over bands (superflux-style reference)', () => {
    // Two bands, a rise in band 0 only: with maxSize 3 the reference is the band max, so no rise shows.
    const s = { data: Float64Array.from([0, 5, 5, 5]), bins: 2, frames: 2 };
    expect(Array.from(onsetStrengthFromSpectrogram(s, { center: false }))).toEqual([0, 2.5]);
    expect(Array.from(onsetStrengthFromSpectrogram(s, { center: false, maxSize: 3 }))).toEqual([0, 0]);
  });

  it('rejects bad parameters', () => {
    const s = { data: new Float32Array(4), bins: 2, frames: 2 };
    expect(() => onsetStrengthFromSpectrogram(s, { lag: 0 })).toThrow(/lag must be a positive integer/);
    expect(() => onsetStrengthFromSpectrogram(s, { maxSize: 0 })).toThrow(/maxSize/);
  });
});
