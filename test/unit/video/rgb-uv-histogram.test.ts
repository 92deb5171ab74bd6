import { describe, expect, it } from 'vitest';
import { rgbUvHistogram, DIFF_V2M_HISTOGRAM } from '../../../electron/core/video/rgb-uv-histogram.ts';
import { resizeBilinear } from '../../../electron/core/video/bilinear-resize.ts';
import { histogramKernel } from '../../../electron/core/video/histogram-kernel.ts';
import { outputPath, wasmModuleSource, watFiles } from '../../../scripts/build-wasm.js';
import { readFileSync } from 'node:fs';

/** SIGNALS §4.2 written out literally, one pixel and one bin pair at a time (slow, obvious). */
function naiveHistogram(rgb: ArrayLike<number>, n: number, h: number, sigma: number): Float64Array {
  const EPS = 1e-6;
  const c = Array.from({ length: h }, (_, k) => -3 + (6 * k) / (h - 1));
  const K = (d: number) => 1 / (1 + (d * d) / (sigma * sigma));
  const hist = new Float64Array(3 * h * h);
  for (let p = 0; p < n; p++) {
    const [R, G, B] = [rgb[3 * p]! / 255, rgb[3 * p + 1]! / 255, rgb[3 * p + 2]! / 255];
    const Iy = Math.sqrt(R * R + G * G + B * B + EPS);
    const L = [Math.log(R + EPS), Math.log(G + EPS), Math.log(B + EPS)];
    const uv = [[L[0]! - L[1]!, L[0]! - L[2]!], [L[1]! - L[0]!, L[1]! - L[2]!], [L[2]! - L[0]!, L[2]! - L[1]!]];
    for (let ch = 0; ch < 3; ch++) {
      for (let k = 0; k < h; k++) for (let l = 0; l < h; l++) hist[ch * h * h + k * h + l]! += Iy * K(uv[ch]![0]! - c[k]!) * K(uv[ch]![1]! - c[l]!);
    }
  }
  const total = hist.reduce((a, b) => a + b, 0);
  return hist.map((v) => v / (total + EPS));
}

function randomImage(w: number, h: number, seed: number): Uint8Array {
  let s = seed;
  const img = new Uint8Array(w * h * 3);
  for (let i = 0; i < img.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    img[i] = (s >>> 16) & 255;
  }
  return img;
}

describe('rgbUvHistogram (HistoGAN RGB-uv, h=32)', () => {
  it('has 3072 values that sum to 1', () => {
    const hist = rgbUvHistogram(randomImage(40, 30, 1), 40, 30);
    expect(hist.length).toBe(3072);
    expect(hist.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('equals the literal formula (no resize below 150 px), block edges included', () => {
    // 300 pixels: more than one 256-pixel block, and an odd tail.
    for (const [w, h, seed] of [[20, 15, 7], [17, 3, 9], [1, 1, 3]] as const) {
      const img = randomImage(w, h, seed);
      const fast = rgbUvHistogram(img, w, h);
      const ref = naiveHistogram(img, w * h, 32, 0.02);
      let maxErr = 0;
      for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(fast[i]! - ref[i]!));
      expect(maxErr).toBeLessThan(1e-7);
    }
  });

  it('resizes a 224×224 frame bilinearly to 150×150 first, as HistoGAN\'s default', () => {
    const img = randomImage(224, 224, 5);
    const small = resizeBilinear(img, 224, 224, 3, 150, 150);
    const ref = naiveHistogram(small, 150 * 150, 32, 0.02);
    const fast = rgbUvHistogram(img, 224, 224);
    let maxErr = 0;
    for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(fast[i]! - ref[i]!));
    expect(maxErr).toBeLessThan(1e-7);
  });

  it('puts a uniform colour where its log-chroma says', () => {
    // (200, 100, 50): red channel u = ln 2 = 0.693, v = ln 4 = 1.386 → bins 19 and 23 of linspace(-3, 3, 32).
    const img = new Uint8Array(8 * 8 * 3);
    for (let i = 0; i < 64; i++) img.set([200, 100, 50], 3 * i);
    const hist = rgbUvHistogram(img, 8, 8);
    const red = Array.from(hist.subarray(0, 1024));
    const arg = red.indexOf(Math.max(...red));
    expect([Math.floor(arg / 32), arg % 32]).toEqual([19, 23]);
    // Green channel: u = ln(100/200) = −0.693 → bin 12, v = ln 2 → bin 19.
    const green = Array.from(hist.subarray(1024, 2048));
    const g = green.indexOf(Math.max(...green));
    expect([Math.floor(g / 32), g % 32]).toEqual([12, 19]);
  });

  it('grey sits between the two middle bins, equally in every channel', () => {
    const img = new Uint8Array(4 * 4 * 3).fill(128);
    const hist = rgbUvHistogram(img, 4, 4);
    for (let ch = 0; ch < 3; ch++) {
      const o = ch * 1024;
      expect(hist[o + 15 * 32 + 15]).toBeCloseTo(hist[o + 16 * 32 + 16]!, 10);
      expect(hist[o + 15 * 32 + 15]).toBeCloseTo(hist[15 * 32 + 15]!, 10);
    }
  });

  it('rejects wrong sizes and parameters', () => {
    expect(() => rgbUvHistogram(new Uint8Array(10), 2, 2)).toThrow(/expected 12 bytes/);
    expect(() => rgbUvHistogram(new Uint8Array(12), 2, 2, { ...DIFF_V2M_HISTOGRAM, bins: 1 })).toThrow(/bins/);
    expect(() => rgbUvHistogram(new Uint8Array(12), 2, 2, { ...DIFF_V2M_HISTOGRAM, sigma: 0 })).toThrow(/sigma/);
  });
});

describe('resizeBilinear (torch align_corners=False, no antialias)', () => {
  it('averages pairs when halving and clamps at the edges when doubling', () => {
    expect(Array.from(resizeBilinear([0, 10, 20, 40], 4, 1, 1, 2, 1))).toEqual([5, 30]);
    expect(Array.from(resizeBilinear([0, 8], 2, 1, 1, 4, 1))).toEqual([0, 2, 6, 8]);
    // 2×2 → 1×1: the centre, i.e. the mean of all four.
    expect(Array.from(resizeBilinear([0, 4, 8, 12], 2, 2, 1, 1, 1))).toEqual([6]);
  });

  it('keeps channels apart', () => {
    const out = resizeBilinear([0, 100, 10, 200], 2, 1, 2, 1, 1);
    expect(Array.from(out)).toEqual([5, 150]);
  });

  it('checks its input size', () => {
    expect(() => resizeBilinear([1, 2, 3], 2, 1, 1, 1, 1)).toThrow(/expected 2 values/);
  });
});

describe('the WebAssembly inner product', () => {
  it('runs here (Node has WebAssembly SIMD) for 32 bins, and leaves other bin counts to JavaScript', () => {
    expect(histogramKernel(32, 256)).not.toBeNull();
    expect(histogramKernel(31, 256)).toBeNull();
  });

  it('gives the JavaScript loop\'s histogram: odd pixel counts, several blocks, a resized frame', () => {
    for (const [w, h, seed] of [[224, 224, 11], [17, 3, 9], [1, 1, 3], [150, 150, 4], [31, 17, 2]] as const) {
      const img = randomImage(w, h, seed);
      const js = rgbUvHistogram(img, w, h, DIFF_V2M_HISTOGRAM, 'javascript');
      const wasm = rgbUvHistogram(img, w, h);
      let maxErr = 0;
      for (let i = 0; i < js.length; i++) maxErr = Math.max(maxErr, Math.abs(js[i]! - wasm[i]!));
      expect(maxErr, `${w}×${h}`).toBeLessThan(1e-9);
      // Twice in a row: the module's memory is reused, nothing of the last image stays.
      expect(Array.from(rgbUvHistogram(img, w, h))).toEqual(Array.from(wasm));
    }
  });

  it('its embedded bytes are the compiled .wat (npm run build:wasm after editing it)', async () => {
    const files = watFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const wat of files) expect(readFileSync(outputPath(wat), 'utf8'), wat).toBe(await wasmModuleSource(wat));
  });
});
