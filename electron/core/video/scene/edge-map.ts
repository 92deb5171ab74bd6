/**
 * PySceneDetect's edge map (SIGNALS §1.6): Canny on the luma plane with thresholds from its
 * median (σ = 1/3), then a square dilation. Canny follows OpenCV's `canny.cpp` (Sobel 3×3 with
 * replicated border, L1 magnitude, integer tan 22.5° sector test, 8-connected hysteresis) and
 * dilation ignores pixels outside the image, as cv2 does.
 */

const CANNY_SHIFT = 15;
const TG22 = Math.trunc(Math.tan((22.5 * Math.PI) / 180) * (1 << CANNY_SHIFT) + 0.5);

/** `_estimated_kernel_size`: 4 + round(sqrt(w·h) / 192), bumped to odd. */
export function estimatedKernelSize(width: number, height: number): number {
  const x = Math.sqrt(width * height) / 192;
  // Python round(): halves to even.
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  const size = 4 + r;
  return size % 2 === 0 ? size + 1 : size;
}

/** numpy.median of 8-bit values via a histogram (mean of the two middle values when even). */
export function medianU8(values: Uint8Array, hist = new Uint32Array(256)): number {
  if (values.length === 0) throw new RangeError('Median of an empty plane.');
  hist.fill(0);
  for (let i = 0; i < values.length; i++) hist[values[i]!]!++;
  const n = values.length;
  if (n % 2 === 1) return kthU8(hist, (n - 1) / 2);
  return (kthU8(hist, n / 2 - 1) + kthU8(hist, n / 2)) / 2;
}

/** The k-th smallest (0-based) value counted in a 256-bin histogram. */
function kthU8(hist: Uint32Array, k: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc > k) return v;
  }
  return 255;
}

/** Canny thresholds exactly as PySceneDetect computes them (Python int() truncates). */
export function cannyThresholds(median: number): { low: number; high: number } {
  const sigma = 1.0 / 3.0;
  return {
    low: Math.trunc(Math.max(0, (1.0 - sigma) * median)),
    high: Math.trunc(Math.min(255, (1.0 + sigma) * median)),
  };
}

/** Reusable edge mapper for one frame size; `compute` returns an internal buffer (0 or 255). */
export class EdgeMapper {
  readonly width: number;
  readonly height: number;
  readonly kernelSize: number;
  private readonly dx: Int32Array;
  private readonly dy: Int32Array;
  /** Magnitude with a zero border of one pixel on every side. */
  private readonly mag: Int32Array;
  /** 0 = candidate, 1 = not an edge, 2 = edge; one-pixel border of 1s. */
  private readonly map: Uint8Array;
  private readonly stack: Int32Array;
  private readonly edges: Uint8Array;
  private readonly tmp: Uint8Array;
  private readonly out: Uint8Array;
  private readonly hist = new Uint32Array(256);
  private readonly neighbours: Int32Array;

  constructor(width: number, height: number, kernelSize?: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new RangeError(`Frame size must be positive whole numbers of pixels, got ${width}×${height}.`);
    }
    if (kernelSize !== undefined && (!Number.isInteger(kernelSize) || kernelSize < 3 || kernelSize % 2 === 0)) {
      throw new RangeError(`kernelSize must be an odd whole number ≥ 3, got ${kernelSize}.`);
    }
    this.width = width;
    this.height = height;
    this.kernelSize = kernelSize ?? estimatedKernelSize(width, height);
    const n = width * height;
    this.dx = new Int32Array(n);
    this.dy = new Int32Array(n);
    this.mag = new Int32Array((width + 2) * (height + 2));
    this.map = new Uint8Array((width + 2) * (height + 2));
    this.stack = new Int32Array(n);
    this.edges = new Uint8Array(n);
    this.tmp = new Uint8Array(n);
    this.out = new Uint8Array(n);
    const ms = width + 2;
    this.neighbours = Int32Array.from([-1, 1, -ms - 1, -ms, -ms + 1, ms - 1, ms, ms + 1]);
  }

  compute(lum: Uint8Array): Uint8Array {
    if (lum.length !== this.width * this.height) {
      throw new RangeError(`Luma plane holds ${lum.length} bytes; ${this.width}×${this.height} needs ${this.width * this.height}.`);
    }
    const { low, high } = cannyThresholds(medianU8(lum, this.hist));
    this.canny(lum, Math.min(low, high), Math.max(low, high));
    this.dilate();
    return this.out;
  }

  private sobel(src: Uint8Array): void {
    const w = this.width;
    const h = this.height;
    const mstride = w + 2;
    for (let y = 0; y < h; y++) {
      const up = (y > 0 ? y - 1 : 0) * w;
      const mid = y * w;
      const down = (y < h - 1 ? y + 1 : h - 1) * w;
      for (let x = 0; x < w; x++) {
        const l = x > 0 ? x - 1 : 0;
        const r = x < w - 1 ? x + 1 : w - 1;
        const gx = src[up + r]! - src[up + l]! + 2 * (src[mid + r]! - src[mid + l]!) + src[down + r]! - src[down + l]!;
        const gy = src[down + l]! + 2 * src[down + x]! + src[down + r]! - src[up + l]! - 2 * src[up + x]! - src[up + r]!;
        this.dx[mid + x] = gx;
        this.dy[mid + x] = gy;
        this.mag[(y + 1) * mstride + x + 1] = Math.abs(gx) + Math.abs(gy);
      }
    }
  }

  private canny(src: Uint8Array, low: number, high: number): void {
    const w = this.width;
    const h = this.height;
    const ms = w + 2;
    const { mag, map, dx, dy, stack } = this;
    this.sobel(src);
    map.fill(1);
    let top = 0;
    for (let y = 0; y < h; y++) {
      let prevFlag = false;
      for (let x = 0; x < w; x++) {
        const mi = (y + 1) * ms + x + 1;
        const m = mag[mi]!;
        let keep = false;
        if (m > low) {
          const xs = dx[y * w + x]!;
          const ys = dy[y * w + x]!;
          const ax = Math.abs(xs);
          const ay = Math.abs(ys) * (1 << CANNY_SHIFT);
          const tg22x = ax * TG22;
          if (ay < tg22x) {
            keep = m > mag[mi - 1]! && m >= mag[mi + 1]!;
          } else {
            const tg67x = tg22x + ax * (1 << (CANNY_SHIFT + 1));
            if (ay > tg67x) {
              keep = m > mag[mi - ms]! && m >= mag[mi + ms]!;
            } else {
              const s = (xs < 0) !== (ys < 0) ? -1 : 1;
              keep = m > mag[mi - ms - s]! && m > mag[mi + ms + s]!;
            }
          }
        }
        if (!keep) {
          prevFlag = false;
          map[mi] = 1;
        } else if (!prevFlag && m > high && map[mi - ms] !== 2) {
          map[mi] = 2;
          stack[top++] = mi;
          prevFlag = true;
        } else {
          map[mi] = 0;
        }
      }
    }
    // Hysteresis: grow strong edges through 8-connected candidates.
    const offsets = this.neighbours;
    while (top > 0) {
      const p = stack[--top]!;
      for (let k = 0; k < 8; k++) {
        const q = p + offsets[k]!;
        if (map[q] === 0) {
          map[q] = 2;
          stack[top++] = q;
        }
      }
    }
    const edges = this.edges;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) edges[y * w + x] = map[(y + 1) * ms + x + 1] === 2 ? 255 : 0;
    }
  }

  /** Square max filter (separable); outside pixels do not take part. */
  private dilate(): void {
    const w = this.width;
    const h = this.height;
    const r = (this.kernelSize - 1) / 2;
    const { edges, tmp, out } = this;
    for (let y = 0; y < h; y++) {
      const o = y * w;
      for (let x = 0; x < w; x++) {
        let m = 0;
        const x1 = Math.min(w - 1, x + r);
        for (let k = Math.max(0, x - r); k <= x1 && m === 0; k++) m = edges[o + k]!;
        tmp[o + x] = m;
      }
    }
    for (let y = 0; y < h; y++) {
      const y0 = Math.max(0, y - r);
      const y1 = Math.min(h - 1, y + r);
      for (let x = 0; x < w; x++) {
        let m = 0;
        for (let k = y0; k <= y1 && m === 0; k++) m = tmp[k * w + x]!;
        out[y * w + x] = m;
      }
    }
  }
}
