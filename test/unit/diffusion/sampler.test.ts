import { describe, expect, it } from 'vitest';
import {
  alphaSigma, cfgCombine, DEFAULT_CFG_SCALE, DEFAULT_STEPS, gaussianNoise, GaussianNoise, oracleV, sampleVddim, vddimSchedule, type Denoiser,
} from '../../../electron/core/diffusion/index.ts';

describe('v-DDIM schedule', () => {
  it('t = 1 − i/steps, α = cos(πt/2), σ = sin(πt/2), never reaching t = 0', () => {
    const s = vddimSchedule(250);
    expect(s.t.length).toBe(250);
    expect(s.t[0]).toBe(1);
    expect(s.t[249]).toBeCloseTo(1 / 250, 7);
    expect(s.t[125]).toBeCloseTo(0.5, 7);
    // The float32 quirk of the reference: α_0 is cos(float32(π/2)), not exactly 0.
    expect(s.alpha[0]).toBeCloseTo(-4.371139e-8, 13);
    expect(s.sigma[0]).toBe(1);
    for (let i = 0; i < 250; i++) {
      expect(s.alpha[i]! ** 2 + s.sigma[i]! ** 2).toBeCloseTo(1, 6);
      if (i) expect(s.sigma[i]).toBeLessThan(s.sigma[i - 1]!);
    }
    expect(alphaSigma(0.5).alpha).toBeCloseTo(Math.SQRT1_2, 7);
    expect(DEFAULT_STEPS).toBe(250);
    expect(DEFAULT_CFG_SCALE).toBe(3);
  });

  it('rejects nonsense step counts and sigmaMax', () => {
    expect(() => vddimSchedule(0)).toThrow(/whole number from 1/);
    expect(() => vddimSchedule(2.5)).toThrow(/whole number/);
    expect(() => vddimSchedule(10, 1.5)).toThrow(/sigmaMax/);
  });
});

describe('classifier-free guidance', () => {
  it('v = u + (c − u)·scale on a [cond; uncond] batch', () => {
    const doubled = Float32Array.from([1, 2, -1, 0.5, 0, 1]);
    // cond [1, 2, −1], uncond [0.5, 0, 1]
    expect(Array.from(cfgCombine(doubled, 3))).toEqual([2, 6, -5]);
    expect(Array.from(cfgCombine(doubled, 1))).toEqual([1, 2, -1]);
    expect(() => cfgCombine(Float32Array.from([1, 2, 3]), 3)).toThrow(/doubled batch/);
  });
});

describe('the sampler loop', () => {
  const x0 = Float32Array.from({ length: 2 * 4 * 8 }, (_, i) => Math.sin(i * 0.7) * 0.8);
  const oracle: Denoiser = async (x, t, uncond, batch) => {
    const { alpha, sigma } = alphaSigma(t);
    const n = x0.length;
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length / n; k++) out.set(oracleV(x.subarray(k * n, (k + 1) * n), x0, alpha, sigma), k * n);
    expect(uncond.length).toBe(batch);
    return out;
  };

  it('recovers x0 from an oracle denoiser to float precision (SIGNALS §5.2), with and without CFG', async () => {
    const noise = gaussianNoise(x0.length, 7);
    for (const cfgScale of [1, 3]) {
      const got = await sampleVddim(oracle, { noise, batch: 2, steps: 25, cfgScale });
      let worst = 0;
      for (let i = 0; i < x0.length; i++) worst = Math.max(worst, Math.abs(got[i]! - x0[i]!));
      expect(worst).toBeLessThan(2e-5);
    }
  });

  it('doubles the batch for CFG with uncond = [0…0, 1…1] and reports every step', async () => {
    const seen: { t: number; uncond: number[]; batch: number }[] = [];
    const denoise: Denoiser = async (x, t, uncond, batch) => {
      seen.push({ t, uncond: Array.from(uncond), batch });
      // cond half says +1, uncond half 0: guidance must give v = 3.
      const v = new Float32Array(x.length);
      v.fill(1, 0, x.length / 2);
      return v;
    };
    const progress: number[] = [];
    const noise = Float32Array.from([0.5, -0.5, 1, 2]);
    const out = await sampleVddim(denoise, { noise, batch: 2, steps: 4, onProgress: (p) => progress.push(p.fraction) });
    expect(seen.map((s) => s.t)).toEqual([1, 0.75, 0.5, 0.25]);
    expect(seen[0]!.uncond).toEqual([0, 0, 1, 1]);
    expect(seen[0]!.batch).toBe(4);
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    // The same loop by hand in float64 with v = 3 everywhere.
    let x = Array.from(noise), pred = x;
    const t = [1, 0.75, 0.5, 0.25], a = t.map((v) => Math.cos((v * Math.PI) / 2)), s = t.map((v) => Math.sin((v * Math.PI) / 2));
    for (let i = 0; i < 4; i++) {
      pred = x.map((xi) => xi * a[i]! - 3 * s[i]!);
      const eps = x.map((xi) => xi * s[i]! + 3 * a[i]!);
      if (i < 3) x = pred.map((p, k) => p * a[i + 1]! + eps[k]! * s[i + 1]!);
    }
    out.forEach((v, k) => expect(v).toBeCloseTo(pred[k]!, 5));
    expect(Array.from(noise)).toEqual([0.5, -0.5, 1, 2]);
  });

  it('cancels between steps', async () => {
    const ac = new AbortController();
    let calls = 0;
    const denoise: Denoiser = async (x) => {
      if (++calls === 3) ac.abort();
      return new Float32Array(x.length);
    };
    await expect(sampleVddim(denoise, { noise: new Float32Array(8), batch: 1, steps: 10, signal: ac.signal })).rejects.toThrow(/abort/i);
    expect(calls).toBe(3);
  });

  it('rejects a denoiser answer of the wrong size', async () => {
    await expect(sampleVddim(async () => new Float32Array(3), { noise: new Float32Array(4), batch: 1, steps: 2 })).rejects.toThrow(/returned 3 values/);
  });
});

describe('seeded Gaussian noise', () => {
  it('is reproducible per seed, different across seeds, and standard normal', () => {
    const a = gaussianNoise(200_000, 42);
    expect(gaussianNoise(200_000, 42)).toEqual(a);
    expect(gaussianNoise(16, 43)).not.toEqual(a.subarray(0, 16));
    let m = 0, v = 0, k = 0;
    for (const x of a) m += x;
    m /= a.length;
    for (const x of a) {
      v += (x - m) ** 2;
      k += (x - m) ** 4;
    }
    v /= a.length;
    k = k / a.length / v ** 2;
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.015);
    expect(Math.abs(k - 3)).toBeLessThan(0.05);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(() => new GaussianNoise(-1)).toThrow(/seed/);
  });
});
