/**
 * OpenCV `cvtColor(COLOR_BGR2HSV)` for 8-bit pixels, bit-exact (SIGNALS §1.4): H in 0..179,
 * S and V in 0..255, 12-bit fixed-point divisions through OpenCV's reciprocal tables.
 */

const HSV_SHIFT = 12;
const HALF = 1 << (HSV_SHIFT - 1);

/** round((255 << 12) / i); exact ties never occur, so Math.round matches saturate_cast. */
export const SAT_DIV: Int32Array = (() => {
  const t = new Int32Array(256);
  for (let i = 1; i < 256; i++) t[i] = Math.round((255 << HSV_SHIFT) / i);
  return t;
})();

/** round((180 << 12) / (6 i)). */
export const HUE_DIV: Int32Array = (() => {
  const t = new Int32Array(256);
  for (let i = 1; i < 256; i++) t[i] = Math.round((180 << HSV_SHIFT) / (6 * i));
  return t;
})();

/** Hue of one pixel from its max, diff and channels (OpenCV's branch order: R, then G, then B). */
export function hsvHue(b: number, g: number, r: number, v: number, diff: number): number {
  const raw = v === r ? g - b : v === g ? b - r + 2 * diff : r - g + 4 * diff;
  const h = (raw * HUE_DIV[diff]! + HALF) >> HSV_SHIFT;
  return h < 0 ? h + 180 : h;
}

export function hsvSat(v: number, diff: number): number {
  return (diff * SAT_DIV[v]! + HALF) >> HSV_SHIFT;
}

export interface HsvPlanes {
  hue: Uint8Array;
  sat: Uint8Array;
  val: Uint8Array;
}

/**
 * Converts packed BGR (3 bytes a pixel) to three planes. Pass `out` to reuse buffers; each plane
 * must hold exactly width × height bytes.
 */
export function bgrToHsv(bgr: Uint8Array, width: number, height: number, out?: HsvPlanes): HsvPlanes {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Frame size must be positive whole numbers of pixels, got ${width}×${height}.`);
  }
  const n = width * height;
  if (bgr.length !== n * 3) {
    throw new RangeError(`BGR buffer holds ${bgr.length} bytes; ${width}×${height}×3 needs ${n * 3}.`);
  }
  const planes = out ?? { hue: new Uint8Array(n), sat: new Uint8Array(n), val: new Uint8Array(n) };
  if (planes.hue.length !== n || planes.sat.length !== n || planes.val.length !== n) {
    throw new RangeError(`HSV planes must hold ${n} bytes each.`);
  }
  const { hue, sat, val } = planes;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const b = bgr[i]!;
    const g = bgr[i + 1]!;
    const r = bgr[i + 2]!;
    const v = b > g ? (b > r ? b : r) : g > r ? g : r;
    const vmin = b < g ? (b < r ? b : r) : g < r ? g : r;
    const diff = v - vmin;
    hue[p] = hsvHue(b, g, r, v, diff);
    sat[p] = hsvSat(v, diff);
    val[p] = v;
  }
  return planes;
}
