import { describe, expect, it } from 'vitest';
import { gatherGrid, LinearResizer, pysceneDownscale, PysceneDownscaler, resizeLinear } from '../../../electron/core/video/scene/index.ts';
import { lcgBytes as noise } from '../../helpers/noise.ts';


/**
 * Straight transcription of SIGNALS §1.3 (per output pixel, no tables or caches), used to check
 * the optimised resizer on many size pairs. Rows are clamped vertically, weights horizontally.
 */
function specResize(src: Uint8Array, sw: number, sh: number, cn: number, dw: number, dh: number): Uint8Array {
  const rint = (x: number) => {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  const taps = (S: number, D: number, d: number, clamp: boolean) => {
    let f = Math.fround((d + 0.5) * (1 / (D / S)) - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    if (clamp && s < 0) { f = 0; s = 0; }
    if (clamp && s >= S - 1) { f = 0; s = S - 1; }
    const cl = (i: number) => Math.min(Math.max(i, 0), S - 1);
    return { i0: cl(s), i1: cl(s + 1), c0: rint(Math.fround(1 - f) * 2048), c1: rint(f * 2048) };
  };
  const out = new Uint8Array(dw * dh * cn);
  for (let y = 0; y < dh; y++) {
    const ty = taps(sh, dh, y, false);
    for (let x = 0; x < dw; x++) {
      const tx = taps(sw, dw, x, true);
      for (let k = 0; k < cn; k++) {
        const hor = (row: number) => src[(row * sw + tx.i0) * cn + k]! * tx.c0 + src[(row * sw + tx.i1) * cn + k]! * tx.c1;
        const v = (((ty.c0 * (hor(ty.i0) >> 4)) >> 16) + ((ty.c1 * (hor(ty.i1) >> 4)) >> 16) + 2) >> 2;
        out[(y * dw + x) * cn + k] = v;
      }
    }
  }
  return out;
}

/** Index of the first differing byte, or -1 (cheap to report, unlike a diff of big arrays). */
function firstMismatch(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('resizeLinear (OpenCV INTER_LINEAR, 8-bit)', () => {
  it('halves a row with 1024/1024 weights and the SIMD rounding, worked by hand', () => {
    // 4×1 → 2×1: f = 2d + 0.5 → taps (0,1) and (2,3), weights 1024 each; vertical weight 2048/0.
    // out = (((2048 · ((1024·(a+b)) >> 4)) >> 16) + 2) >> 2
    // (10, 21): 1024·31 = 31744 → 1984 → 62 → 16.   (0, 1): 1024 → 64 → 2 → 1.
    expect(Array.from(resizeLinear(Uint8Array.from([10, 21, 0, 1]), 4, 1, 1, 2, 1))).toEqual([16, 1]);
    // (255, 255): 522240 → 32640 → 1020 → 255 (no overflow of the int16 lanes).
    expect(Array.from(resizeLinear(Uint8Array.from([255, 255, 7, 7]), 4, 1, 1, 2, 1))).toEqual([255, 7]);
  });

  it("averages 2×2 blocks, (a+b+c+d+2) >> 2, for an exact 2× reduction (OpenCV's INTER_AREA switch)", () => {
    const src = noise(8 * 6 * 3, 7);
    const out = resizeLinear(src, 8, 6, 3, 4, 3);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        for (let k = 0; k < 3; k++) {
          const at = (yy: number, xx: number) => src[(yy * 8 + xx) * 3 + k]!;
          const want = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1) + 2) >> 2;
          expect(out[(y * 4 + x) * 3 + k]).toBe(want);
        }
      }
    }
    // With every weight 1024 the bilinear formula reduces to the same sum, so both paths agree.
    expect(firstMismatch(out, specResize(src, 8, 6, 3, 4, 3))).toBe(-1);
  });

  it('matches the spec transcription on down- and up-scales, any channel count', () => {
    const pairs: Array<[number, number, number, number, number]> = [
      [1280, 720, 3, 256, 144],
      [480, 320, 3, 256, 171],
      [720, 1280, 3, 144, 256],
      [333, 250, 3, 256, 192],
      [97, 61, 1, 40, 25],
      [50, 30, 4, 101, 77],
      [7, 5, 2, 3, 9],
      [1, 1, 3, 4, 3],
    ];
    for (const [sw, sh, cn, dw, dh] of pairs) {
      const src = noise(sw * sh * cn, sw * 31 + sh);
      expect(firstMismatch(resizeLinear(src, sw, sh, cn, dw, dh), specResize(src, sw, sh, cn, dw, dh)), `${sw}×${sh}×${cn} → ${dw}×${dh}`).toBe(-1);
    }
  });

  it('reuses its tables and output buffer frame after frame with the same result', () => {
    const r = new LinearResizer(640, 360, 3, 256, 144);
    const out = new Uint8Array(r.outputLength);
    const a = noise(640 * 360 * 3, 3);
    const b = noise(640 * 360 * 3, 4);
    expect(r.resize(a, out)).toBe(out);
    expect(firstMismatch(out, specResize(a, 640, 360, 3, 256, 144))).toBe(-1);
    r.resize(b, out);
    expect(firstMismatch(out, specResize(b, 640, 360, 3, 256, 144))).toBe(-1);
  });

  it('gives the same bytes from only the gathered grid of pixels (what ffmpeg remap delivers)', () => {
    const pairs: Array<[number, number, number, number, number]> = [
      [1280, 720, 3, 256, 144], // factor 5: one tap per axis, 1/25 of the pixels
      [1920, 1080, 3, 274, 154],
      [640, 480, 3, 256, 192],
      [512, 288, 3, 256, 144], // exact 2×: the INTER_AREA path reads every pixel
      [720, 1280, 3, 144, 256],
      [97, 61, 1, 40, 25],
      [50, 30, 4, 101, 77], // upscale
      [7, 5, 2, 3, 9],
    ];
    for (const [sw, sh, cn, dw, dh] of pairs) {
      const src = noise(sw * sh * cn, sw * 7 + sh);
      const full = new LinearResizer(sw, sh, cn, dw, dh);
      const gathered = new LinearResizer(sw, sh, cn, dw, dh, true);
      expect(gathered.grid).toEqual(full.grid);
      const packed = gatherGrid(src, sw, cn, gathered.grid);
      expect(packed.length).toBe(gathered.inputWidth * gathered.inputHeight * cn);
      expect(firstMismatch(gathered.resize(packed), full.resize(src)), `${sw}×${sh}×${cn} → ${dw}×${dh}`).toBe(-1);
    }
    const five = new LinearResizer(1280, 720, 3, 256, 144, true);
    expect([five.inputWidth, five.inputHeight]).toEqual([256, 144]);
    expect(Array.from(five.grid.cols.slice(0, 3))).toEqual([2, 7, 12]);
    const seven = new LinearResizer(1920, 1080, 3, 274, 154, true);
    expect(seven.inputWidth).toBeLessThanOrEqual(2 * 274);
    expect(() => five.resize(new Uint8Array(1280 * 720 * 3))).toThrow(/256×144×3 needs/);
  });

  it('copies when the size does not change, as cv::resize does', () => {
    const src = noise(5 * 4 * 3);
    const out = resizeLinear(src, 5, 4, 3, 5, 4);
    expect(out).toEqual(src);
    expect(out).not.toBe(src);
  });

  it('rejects bad sizes, channel counts and buffer lengths with clear errors', () => {
    expect(() => resizeLinear(new Uint8Array(0), 0, 4, 3, 2, 2)).toThrow(/positive whole numbers/);
    expect(() => resizeLinear(new Uint8Array(12), 2, 2, 3, 0, 1)).toThrow(/Destination size/);
    expect(() => resizeLinear(new Uint8Array(12), 2.5, 2, 3, 1, 1)).toThrow(/positive whole numbers/);
    expect(() => resizeLinear(new Uint8Array(12), 2, 2, 5, 1, 1)).toThrow(/Channels must be 1 to 4/);
    expect(() => resizeLinear(new Uint8Array(11), 2, 2, 3, 1, 1)).toThrow(/holds 11 bytes; 2×2×3 needs 12/);
    const r = new LinearResizer(4, 4, 1, 2, 3);
    expect(() => r.resize(new Uint8Array(16), new Uint8Array(5))).toThrow(/Output buffer holds 5 bytes; 6/);
  });
});

describe('pysceneDownscale (PySceneDetect 0.6.6 auto-downscale)', () => {
  it('makes the longer side 256 with round-half-even sizes', () => {
    const cases: Array<[number, number, number, number]> = [
      [1280, 720, 256, 144],
      [1920, 1080, 256, 144],
      [640, 480, 256, 192],
      [480, 320, 256, 171], // 320/1.875 = 170.67
      [720, 1280, 144, 256],
      [257, 100, 256, 100], // 100/1.00390625 = 99.61 → 100
      [1000, 3, 256, 1], // max(1, round(0.768))
      [1000, 2, 256, 1], // round(0.512) = 1
      [1000, 1, 256, 1], // round(0.256) = 0 → max(1, …)
    ];
    for (const [w, h, ew, eh] of cases) {
      const r = pysceneDownscale(noise(w * h * 3), w, h, 3);
      expect([r.width, r.height], `${w}×${h}`).toEqual([ew, eh]);
      expect(r.data.length).toBe(ew * eh * 3);
    }
  });

  it('returns the input itself when no resize applies (longer side ≤ 256)', () => {
    for (const [w, h] of [[256, 144], [200, 100], [144, 256], [1, 1]] as const) {
      const src = noise(w * h * 3);
      const r = pysceneDownscale(src, w, h, 3);
      expect([r.width, r.height]).toEqual([w, h]);
      expect(r.data).toBe(src);
    }
  });

  it('gives the same pixels as resizeLinear to the computed size', () => {
    const src = noise(480 * 320 * 3, 9);
    expect(firstMismatch(pysceneDownscale(src, 480, 320, 3).data, resizeLinear(src, 480, 320, 3, 256, 171))).toBe(-1);
  });

  it('streaming form reuses one buffer and rebuilds when the frame size changes', () => {
    const d = new PysceneDownscaler();
    const a = d.downscale(noise(640 * 480 * 3, 1), 640, 480, 3);
    const b = d.downscale(noise(640 * 480 * 3, 2), 640, 480, 3);
    expect(b.data).toBe(a.data);
    const c = d.downscale(noise(1280 * 720 * 3, 3), 1280, 720, 3);
    expect([c.width, c.height]).toEqual([256, 144]);
    const fresh = d.downscale(noise(1280 * 720 * 3, 3), 1280, 720, 3, false);
    expect(fresh.data).not.toBe(c.data);
    expect(firstMismatch(fresh.data, c.data)).toBe(-1);
  });

  it('rejects bad input', () => {
    expect(() => pysceneDownscale(new Uint8Array(0), 0, 0, 3)).toThrow(/positive whole numbers/);
    expect(() => pysceneDownscale(new Uint8Array(10), 640, 480, 3)).toThrow(/holds 10 bytes/);
    expect(() => pysceneDownscale(new Uint8Array(3), 1, 1, 0)).toThrow(/Channels/);
  });
});
