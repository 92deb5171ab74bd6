import { describe, expect, it } from 'vitest';
import { gatedLoudness, kWeightingFilters, LimiterGain, LoudnessMeter, TruePeakMeter, toDb } from '../../../electron/core/mastering/index.ts';
import { Prng } from '../../../electron/core/compose/index.ts';

function sine(freq: number, amp: number, seconds: number, sr: number, phase = 0): Float32Array {
  const n = Math.round(seconds * sr);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) out[2 * i] = out[2 * i + 1] = amp * Math.sin((2 * Math.PI * freq * i) / sr + phase);
  return out;
}

describe('BS.1770 K-weighting', () => {
  it('equals the standard\'s 48 kHz coefficients', () => {
    const [shelf, hp] = kWeightingFilters(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 10);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 10);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 10);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 10);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 10);
    expect(hp.a1).toBeCloseTo(-1.99004745483398, 10);
    expect(hp.a2).toBeCloseTo(0.99007225036621, 10);
    expect(() => kWeightingFilters(100)).toThrow(/at least 8000/);
  });
});

describe('LoudnessMeter', () => {
  it('reads a 997 Hz sine of amplitude 0.1 in both channels as −20 LUFS (BS.1770 calibration)', () => {
    for (const sr of [44100, 48000]) {
      const m = new LoudnessMeter(sr);
      const x = sine(997, 0.1, 5, sr);
      // Streaming in odd-sized chunks must not matter.
      for (let i = 0; i < x.length; i += 2 * 3001) m.push(x.subarray(i, Math.min(x.length, i + 2 * 3001)));
      expect(m.integrated()).toBeCloseTo(-20, 1);
    }
  });

  it('gates silence out (absolute gate) and quiet passages 10 LU down (relative gate)', () => {
    const sr = 44100;
    const loud = sine(997, 0.1, 4, sr);
    const m = new LoudnessMeter(sr);
    m.push(new Float32Array(2 * 4 * sr));
    m.push(loud);
    m.push(sine(997, 0.001, 4, sr)); // −60 LUFS: above −70 but below the relative gate
    // Without gating the mean would be about −24.8 LUFS (a third of the time loud); the blocks
    // straddling the edges of the loud part legitimately pass the gates and pull it down a little.
    expect(m.integrated()).toBeGreaterThan(-20.5);
    expect(m.integrated()).toBeLessThan(-20);
    expect(new LoudnessMeter(sr).integrated()).toBe(-Infinity);
    expect(gatedLoudness([1e-9, 1e-9])).toBe(-Infinity);
  });
  it('keeps per-bin K-weighted energies that add up to its 400 ms blocks, and reads the same with them', () => {
    const sr = 44100, x = sine(997, 0.1, 2, sr);
    for (let i = 0; i < x.length; i += 2) x[i] *= 1 + Math.sin(i / 5000);
    const plain = new LoudnessMeter(sr), binned = new LoudnessMeter(sr, { binFrames: 10 });
    plain.push(x);
    for (let i = 0; i < x.length; i += 2 * 777) binned.push(x.subarray(i, i + 2 * 777));
    expect(binned.integrated()).toBe(plain.integrated());
    const bins = binned.binEnergies(), step = sr / 10, perStep = step / 10;
    expect(bins.length).toBe(2 * sr / 10);
    const blocks = plain.blockPowers();
    for (let b = 0; b < blocks.length; b++) {
      let e = 0;
      for (let k = b * perStep; k < (b + 4) * perStep; k++) e += bins[k]!;
      expect(e / (4 * step)).toBeCloseTo(blocks[b]!, 9);
    }
    expect(() => new LoudnessMeter(sr, { binFrames: 8 })).toThrow(/does not divide/);
  });
});

describe('TruePeakMeter', () => {
  it('finds the peak between samples: a sine at fs/4 sampled at ±45° peaks 3 dB above its samples', () => {
    const sr = 48000;
    const x = sine(sr / 4, 1, 0.1, sr, Math.PI / 4);
    let samplePeak = 0;
    for (const v of x) samplePeak = Math.max(samplePeak, Math.abs(v));
    expect(toDb(samplePeak)).toBeCloseTo(-3.01, 1);
    const tp = new TruePeakMeter();
    tp.push(x);
    expect(toDb(tp.value())).toBeGreaterThan(-0.3);
    expect(toDb(tp.value())).toBeLessThan(0.3);
  });

  it('equals the sample peak for a low tone, whatever the chunking', () => {
    const x = sine(100, 0.5, 0.5, 44100);
    const a = new TruePeakMeter(), b = new TruePeakMeter();
    a.push(x);
    for (let i = 0; i < x.length; i += 2 * 777) b.push(x.subarray(i, Math.min(x.length, i + 2 * 777)));
    expect(a.value()).toBeCloseTo(0.5, 3);
    expect(b.value()).toBe(a.value());
  });
});

describe('LimiterGain', () => {
  it('returns one gain per frame, ≤ 1, that keeps the true peak under the ceiling, and leaves quiet audio alone', () => {
    const sr = 44100, rng = new Prng(9);
    const n = sr * 2;
    const x = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const hit = i % 11025 < 200 ? 4 : 1; // loud bursts every 0.25 s
      x[2 * i] = hit * 0.3 * (rng.next() * 2 - 1);
      x[2 * i + 1] = hit * 0.3 * (rng.next() * 2 - 1);
    }
    const ceiling = 10 ** (-1.3 / 20);
    const lim = new LimiterGain({ sampleRate: sr, ceiling });
    const parts: Float32Array[] = [];
    for (let i = 0; i < x.length; i += 2 * 4096) parts.push(lim.push(x.subarray(i, Math.min(x.length, i + 2 * 4096))));
    parts.push(lim.flush());
    const gains = new Float32Array(n);
    let o = 0;
    for (const p of parts) {
      gains.set(p, o);
      o += p.length;
    }
    expect(o).toBe(n);
    const y = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      expect(gains[i]).toBeLessThanOrEqual(1);
      y[2 * i] = x[2 * i]! * gains[i]!;
      y[2 * i + 1] = x[2 * i + 1]! * gains[i]!;
    }
    const tp = new TruePeakMeter();
    tp.push(y);
    expect(toDb(tp.value())).toBeLessThanOrEqual(-1.0);
    expect(lim.minGain).toBeLessThan(0.5);
    const quiet = new LimiterGain({ sampleRate: sr, ceiling });
    const q = sine(440, 0.1, 0.5, sr);
    const g = [...quiet.push(q), ...quiet.flush()];
    expect(g).toHaveLength(q.length / 2);
    expect(Math.min(...g)).toBe(1);
  });
});
