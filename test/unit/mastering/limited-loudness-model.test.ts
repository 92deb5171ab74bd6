import { describe, expect, it } from 'vitest';
import { LimiterGain, LoudnessMeter } from '../../../electron/core/mastering/index.ts';
import { LimitedLoudnessModel } from '../../../electron/core/mastering/limited-loudness-model.ts';
import { PeakBins, modelBinFrames } from '../../../electron/core/mastering/peak-bins.ts';
import { Prng } from '../../../electron/core/compose/index.ts';

const SR = 44100;

/** The raw pass as the mastering runs it, in odd-sized chunks. */
function gather(x: Float32Array, sr = SR) {
  const binFrames = modelBinFrames(sr);
  const meter = new LoudnessMeter(sr, { binFrames });
  const bins = new PeakBins(binFrames, 13.5);
  for (let i = 0; i < x.length; i += 2 * 3001) {
    const c = x.subarray(i, Math.min(x.length, i + 2 * 3001));
    meter.push(c);
    bins.push(c);
  }
  const peaks = bins.finish();
  return { raw: meter.integrated(), samplePeak: bins.samplePeak, peaks, model: new LimitedLoudnessModel({ sampleRate: sr, binFrames, peaks, energies: meter.binEnergies() }) };
}

/** The real thing: the limiter's gains on x × gain, then the loudness of the output. */
function exact(x: Float32Array, gainDb: number, limitDb: number, sr = SR) {
  const g = 10 ** (gainDb / 20);
  const lim = new LimiterGain({ sampleRate: sr, ceiling: 10 ** (limitDb / 20) });
  const gains = new Float32Array(x.length / 2);
  let o = 0;
  for (const part of [lim.push(x.map((v) => v * g)), lim.flush()]) {
    gains.set(part, o);
    o += part.length;
  }
  const y = x.map((v, i) => v * g * gains[i >> 1]!);
  const m = new LoudnessMeter(sr);
  m.push(y);
  return { lufs: m.integrated(), minGain: lim.minGain };
}

function stereo(seconds: number, f: (t: number, i: number) => [number, number], sr = SR): Float32Array {
  const x = new Float32Array(2 * Math.round(seconds * sr));
  for (let i = 0; i < x.length / 2; i++) [x[2 * i]!, x[2 * i + 1]!] = f(i / sr, i);
  return x;
}

const rng = new Prng(3);
const noise = () => rng.next() * 2 - 1;
const signals: Record<string, Float32Array> = {
  'sine bursts': stereo(6, (t) => {
    const on = t % 0.5 < 0.3 ? 1 : 0.05;
    const v = on * 0.3 * Math.sin(2 * Math.PI * 440 * t) * (1 + 0.6 * Math.sin(2 * Math.PI * 0.7 * t));
    return [v, 0.7 * v];
  }),
  'noise with transients': stereo(6, (t, i) => {
    const hit = i % 9000 < 300 ? 6 * Math.exp(-(i % 9000) / 80) : 0;
    return [0.05 * noise() + hit * 0.12 * noise(), 0.05 * noise() + hit * 0.12 * noise()];
  }),
  'a beat the limiter works hard on': stereo(8, (t, i) => {
    const k = i % 11025; // a kick every quarter second over a pad
    const kick = 0.9 * Math.exp(-k / 1500) * Math.sin(2 * Math.PI * 55 * (k / SR) * (1 + 2 * Math.exp(-k / 600)));
    const pad = 0.08 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 331 * t + 1) + 0.5 * Math.sin(2 * Math.PI * 3520 * t));
    return [kick + pad + 0.01 * noise(), kick + 0.9 * pad + 0.01 * noise()];
  }),
};

describe('the limited-loudness model the mastering aims its gain with', () => {
  it('bins of about 10 frames that divide the 100 ms step at any sample rate', () => {
    expect([44100, 48000, 22050, 96000, 8000, 11025].map(modelBinFrames)).toEqual([10, 10, 5, 20, 2, 1]);
  });

  it('keeps the limiter\'s true peak per bin: a sine at fs/4 sampled at ±45° peaks 3 dB above its samples', () => {
    const x = stereo(0.5, (_t, i) => {
      const v = 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4);
      return [v, v];
    });
    const { peaks, samplePeak } = gather(x);
    expect(peaks.length).toBe(Math.ceil(x.length / 2 / 10));
    expect(samplePeak).toBeCloseTo(0.5 / Math.SQRT2, 6);
    expect(Math.max(...peaks.subarray(2, -2))).toBeCloseTo(0.5, 2); // the tone's own peak, between samples
    expect(Math.min(...peaks.subarray(2, -2))).toBeGreaterThan(0.49);
  });

  // Heavy limiting of a bass kick changes its K-weighted spectrum, which gain² × energy cannot see.
  for (const [name, x] of Object.entries(signals)) {
    const tolerance = name.startsWith('a beat') ? 0.1 : 0.04;
    it(`predicts the limited loudness of ${name} within ${tolerance} LU of the real limiter's`, () => {
      const { raw, model, samplePeak } = gather(x);
      const top = -1.3 - 20 * Math.log10(samplePeak); // gain that puts the sample peak at the threshold
      for (const gainDb of [-14 - raw, top + 3, top + 8]) {
        const real = exact(x, gainDb, -1.3);
        expect(Math.abs(model.loudness(gainDb, -1.3) - real.lufs)).toBeLessThan(tolerance);
      }
      if (name.startsWith('a beat')) expect(exact(x, top + 8, -1.3).minGain).toBeLessThan(0.5); // ≥ 6 dB of limiting
    });
  }

  it('solves for the gain that reaches a target on the model, from above or below, and stops at the most gain allowed', () => {
    const x = signals['a beat the limiter works hard on']!;
    const { raw, model } = gather(x);
    const g = model.solve(-14, -1.3, 40, -14 - raw);
    expect(Math.abs(model.loudness(g, -1.3) - -14)).toBeLessThan(0.005);
    expect(g).toBeGreaterThan(-14 - raw + 1); // the limiter takes loudness back: more gain than unlimited
    const lower = model.solve(-16, -1.3, 40, g); // a target below the guess
    expect(Math.abs(model.loudness(lower, -1.3) - -16)).toBeLessThan(0.005);
    expect(model.solve(-3, -1.3, g + 2, -14 - raw)).toBe(g + 2);
  });
});
