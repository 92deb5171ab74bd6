/**
 * Bit-exact port of OpenCV's `cv::resize(..., INTER_LINEAR)` for 8-bit images (SIGNALS §1.3),
 * which PySceneDetect uses for its auto-downscale. Coefficients are 11-bit fixed point, the
 * horizontal pass sums in int32 and the vertical pass follows the SIMD rounding that cv2 really
 * produces. An exact 2× reduction on both axes switches to OpenCV's fast INTER_AREA path.
 */

const COEF_SCALE = 2048; // INTER_RESIZE_COEF_SCALE

/** cvRound on a float: round half to even (x86 default rounding mode). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function checkDims(name: string, w: number, h: number): void {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) {
    throw new RangeError(`${name} size must be positive whole numbers of pixels, got ${w}×${h}.`);
  }
}

interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  c0: Int32Array;
  c1: Int32Array;
}

/** Source indices and fixed-point weights along one axis (`clampWeights`: horizontal rule). */
function axisTaps(src: number, dst: number, clampWeights: boolean): AxisTaps {
  // OpenCV derives the scale from the inverse ratio, which can differ from src/dst in the last bit.
  const scale = 1 / (dst / src);
  const t: AxisTaps = { i0: new Int32Array(dst), i1: new Int32Array(dst), c0: new Int32Array(dst), c1: new Int32Array(dst) };
  for (let d = 0; d < dst; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    if (clampWeights) {
      if (s < 0) { f = 0; s = 0; }
      if (s >= src - 1) { f = 0; s = src - 1; }
    }
    t.c0[d] = roundHalfEven(Math.fround(1 - f) * COEF_SCALE);
    t.c1[d] = roundHalfEven(f * COEF_SCALE);
    // Vertically OpenCV clamps the rows, not the weights.
    t.i0[d] = Math.min(Math.max(s, 0), src - 1);
    t.i1[d] = Math.min(Math.max(s + 1, 0), src - 1);
  }
  return t;
}

/** The source columns and rows a resize reads, ascending: every other pixel has no weight. */
export interface SourceGrid {
  cols: Int32Array;
  rows: Int32Array;
}

/** A zero-weight tap reads nothing that matters: point it at its partner so it needs no pixel. */
function dropZeroTaps(t: AxisTaps): void {
  for (let d = 0; d < t.i0.length; d++) {
    if (t.c1[d] === 0) t.i1[d] = t.i0[d]!;
    else if (t.c0[d] === 0) t.i0[d] = t.i1[d]!;
  }
}

function usedIndices(t: AxisTaps, extent: number): Int32Array {
  const used = new Uint8Array(extent);
  for (let d = 0; d < t.i0.length; d++) used[t.i0[d]!] = used[t.i1[d]!] = 1;
  const out: number[] = [];
  for (let i = 0; i < extent; i++) if (used[i]) out.push(i);
  return Int32Array.from(out);
}

/** Index of every source position inside the grid (only the used ones are looked up). */
function positionsIn(list: Int32Array, extent: number): Int32Array {
  const pos = new Int32Array(extent).fill(-1);
  list.forEach((v, i) => (pos[v] = i));
  return pos;
}

/**
 * A reusable resizer for one (source size, destination size, channels) triple: the tables are
 * built once and the per-frame work allocates nothing. Only the source rows the output needs
 * are read (two per output row at most).
 *
 * `gathered`: the input is not the whole source image but only its `grid` (those columns of
 * those rows, packed), as ffmpeg's `remap` filter can deliver it — the result is the same bytes,
 * from a fraction of the pixels.
 */
export class LinearResizer {
  readonly srcWidth: number;
  readonly srcHeight: number;
  /** The pixels the resize reads; with `gathered`, the input is exactly these. */
  readonly grid: SourceGrid;
  /** Size of the input buffer: the source, or the grid when gathered. */
  readonly inputWidth: number;
  readonly inputHeight: number;
  readonly channels: number;
  readonly dstWidth: number;
  readonly dstHeight: number;
  private readonly area2x: boolean;
  /** Gathered and every output pixel is one input pixel at full weight: the resize is a copy. */
  private readonly copyOnly: boolean;
  private readonly xo0: Int32Array;
  private readonly xo1: Int32Array;
  private readonly ax0: Int32Array;
  private readonly ax1: Int32Array;
  private readonly y: AxisTaps;
  private rowA: Int32Array;
  private rowB: Int32Array;
  private rowAIndex = -1;
  private rowBIndex = -1;

  constructor(srcWidth: number, srcHeight: number, channels: number, dstWidth: number, dstHeight: number, gathered = false) {
    checkDims('Source', srcWidth, srcHeight);
    checkDims('Destination', dstWidth, dstHeight);
    if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
      throw new RangeError(`Channels must be 1 to 4, got ${channels}.`);
    }
    this.srcWidth = srcWidth;
    this.srcHeight = srcHeight;
    this.channels = channels;
    this.dstWidth = dstWidth;
    this.dstHeight = dstHeight;
    const sx = 1 / (dstWidth / srcWidth);
    const sy = 1 / (dstHeight / srcHeight);
    const ix = roundHalfEven(sx);
    const iy = roundHalfEven(sy);
    this.area2x = ix === 2 && iy === 2 && Math.abs(sx - ix) < Number.EPSILON && Math.abs(sy - iy) < Number.EPSILON;

    const n = dstWidth * channels;
    const x = axisTaps(srcWidth, dstWidth, true);
    this.y = axisTaps(srcHeight, dstHeight, false);
    if (this.area2x) {
      // The fast 2× path averages every 2×2 block: it reads every pixel.
      this.grid = { cols: Int32Array.from({ length: srcWidth }, (_, i) => i), rows: Int32Array.from({ length: srcHeight }, (_, i) => i) };
    } else {
      dropZeroTaps(x);
      dropZeroTaps(this.y);
      this.grid = { cols: usedIndices(x, srcWidth), rows: usedIndices(this.y, srcHeight) };
    }
    this.inputWidth = gathered ? this.grid.cols.length : srcWidth;
    this.inputHeight = gathered ? this.grid.rows.length : srcHeight;
    const singleTaps = (t: AxisTaps) => t.c0.every((c, d) => (c === COEF_SCALE && t.c1[d] === 0) || (c === 0 && t.c1[d] === COEF_SCALE));
    // ((2048·(2048·p >> 4)) >> 16 + 2) >> 2 is p again, so such a resize only picks pixels.
    this.copyOnly = gathered && !this.area2x && this.inputWidth === dstWidth && this.inputHeight === dstHeight && singleTaps(x) && singleTaps(this.y);
    if (gathered && !this.area2x) {
      const cx = positionsIn(this.grid.cols, srcWidth);
      const cy = positionsIn(this.grid.rows, srcHeight);
      for (let d = 0; d < dstWidth; d++) {
        x.i0[d] = cx[x.i0[d]!]!;
        x.i1[d] = cx[x.i1[d]!]!;
      }
      for (let d = 0; d < dstHeight; d++) {
        this.y.i0[d] = cy[this.y.i0[d]!]!;
        this.y.i1[d] = cy[this.y.i1[d]!]!;
      }
    }
    this.xo0 = new Int32Array(n);
    this.xo1 = new Int32Array(n);
    this.ax0 = new Int32Array(n);
    this.ax1 = new Int32Array(n);
    for (let d = 0; d < dstWidth; d++) {
      for (let k = 0; k < channels; k++) {
        const j = d * channels + k;
        this.xo0[j] = x.i0[d]! * channels + k;
        this.xo1[j] = x.i1[d]! * channels + k;
        this.ax0[j] = x.c0[d]!;
        this.ax1[j] = x.c1[d]!;
      }
    }
    this.rowA = new Int32Array(n);
    this.rowB = new Int32Array(n);
  }

  get outputLength(): number {
    return this.dstWidth * this.dstHeight * this.channels;
  }

  /** Resizes `src` into `out` (allocated when not given) and returns it. */
  resize(src: Uint8Array, out?: Uint8Array): Uint8Array {
    const expected = this.inputWidth * this.inputHeight * this.channels;
    if (src.length !== expected) {
      throw new RangeError(
        `Frame buffer holds ${src.length} bytes; ${this.inputWidth}×${this.inputHeight}×${this.channels} needs ${expected}.`,
      );
    }
    const dst = out ?? new Uint8Array(this.outputLength);
    if (dst.length !== this.outputLength) {
      throw new RangeError(`Output buffer holds ${dst.length} bytes; ${this.outputLength} are needed.`);
    }
    if (this.copyOnly) dst.set(src);
    else if (this.area2x) this.area(src, dst);
    else this.linear(src, dst);
    return dst;
  }

  private horizontal(src: Uint8Array, row: number, into: Int32Array): void {
    const base = row * this.inputWidth * this.channels;
    const { xo0, xo1, ax0, ax1 } = this;
    if (this.channels === 3) {
      // Per pixel: one table lookup serves all three channels.
      for (let j = 0; j < into.length; j += 3) {
        const p0 = base + xo0[j]!;
        const p1 = base + xo1[j]!;
        const a0 = ax0[j]!;
        const a1 = ax1[j]!;
        into[j] = src[p0]! * a0 + src[p1]! * a1;
        into[j + 1] = src[p0 + 1]! * a0 + src[p1 + 1]! * a1;
        into[j + 2] = src[p0 + 2]! * a0 + src[p1 + 2]! * a1;
      }
      return;
    }
    for (let j = 0; j < into.length; j++) {
      into[j] = src[base + xo0[j]!]! * ax0[j]! + src[base + xo1[j]!]! * ax1[j]!;
    }
  }

  /** Horizontal row for source row `r`, reusing the two cached rows when possible. */
  private row(src: Uint8Array, r: number, avoid: Int32Array | null): Int32Array {
    if (this.rowAIndex === r) return this.rowA;
    if (this.rowBIndex === r) return this.rowB;
    // Overwrite the cached row that is not in use for this output row.
    if (avoid !== this.rowA) {
      this.horizontal(src, r, this.rowA);
      this.rowAIndex = r;
      return this.rowA;
    }
    this.horizontal(src, r, this.rowB);
    this.rowBIndex = r;
    return this.rowB;
  }

  private linear(src: Uint8Array, dst: Uint8Array): void {
    this.rowAIndex = this.rowBIndex = -1; // new frame: cached rows are stale
    const n = this.dstWidth * this.channels;
    const { i0, i1, c0, c1 } = this.y;
    for (let dy = 0; dy < this.dstHeight; dy++) {
      const r0 = this.row(src, i0[dy]!, null);
      const r1 = this.row(src, i1[dy]!, r0);
      const b0 = c0[dy]!;
      const b1 = c1[dy]!;
      const o = dy * n;
      for (let j = 0; j < n; j++) {
        dst[o + j] = (((b0 * (r0[j]! >> 4)) >> 16) + ((b1 * (r1[j]! >> 4)) >> 16) + 2) >> 2;
      }
    }
  }

  private area(src: Uint8Array, dst: Uint8Array): void {
    const cn = this.channels;
    const sstride = this.inputWidth * cn;
    const n = this.dstWidth * cn;
    for (let dy = 0; dy < this.dstHeight; dy++) {
      const s0 = 2 * dy * sstride;
      const s1 = s0 + sstride;
      const o = dy * n;
      for (let dx = 0; dx < this.dstWidth; dx++) {
        for (let k = 0; k < cn; k++) {
          const sx = 2 * dx * cn + k;
          dst[o + dx * cn + k] = (src[s0 + sx]! + src[s0 + sx + cn]! + src[s1 + sx]! + src[s1 + sx + cn]! + 2) >> 2;
        }
      }
    }
  }
}

/** One-off OpenCV-exact INTER_LINEAR resize of packed 8-bit pixels (`channels` per pixel). */
export function resizeLinear(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
): Uint8Array {
  const r = new LinearResizer(srcWidth, srcHeight, channels, dstWidth, dstHeight);
  if (dstWidth === srcWidth && dstHeight === srcHeight) {
    // cv::resize copies when the size does not change.
    if (src.length !== r.outputLength) r.resize(src); // throws the length error
    return src.slice();
  }
  return r.resize(src);
}

/** Packs the grid's pixels of a whole image, as ffmpeg's `remap` delivers them (tests, references). */
export function gatherGrid(src: Uint8Array, srcWidth: number, channels: number, grid: SourceGrid): Uint8Array {
  const { cols, rows } = grid;
  const out = new Uint8Array(cols.length * rows.length * channels);
  let o = 0;
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r]! * srcWidth * channels;
    for (let c = 0; c < cols.length; c++) {
      const p = base + cols[c]! * channels;
      for (let k = 0; k < channels; k++) out[o++] = src[p + k]!;
    }
  }
  return out;
}
