import { resizeBilinear } from './bilinear-resize.ts';
import { histogramKernel } from './histogram-kernel.ts';

/**
 * HistoGAN's RGB-uv histogram (`RGBuvHistBlock`, SIGNALS §4.2) with h = 32 bins: 3 × 32 × 32 =
 * 3072 values, the size of Diff-V2M's colour condition.
 *
 * HYPOTHESIS: Diff-V2M does not publish how its `color_30/*.npy` files were made. This recipe
 * (HistoGAN RGB-uv, h = 32, inverse-quadratic kernel, σ = 0.02, intensity scaling, bilinear
 * resize to 150 px, one histogram per second) is the best-supported guess: it is what V-MusProd
 * used and it is the only HistoGAN setting that yields exactly 3072 values.
 */
export interface RgbUvHistogramParams {
  /** Bins per axis. */
  bins: number;
  /** Kernel width in log-chroma units. */
  sigma: number;
  /** Images larger than this on either side are resized to insz × insz first. */
  insz: number;
  /** Weight each pixel by its intensity sqrt(R² + G² + B²). */
  intensityScale: boolean;
}

export const DIFF_V2M_HISTOGRAM: RgbUvHistogramParams = { bins: 32, sigma: 0.02, insz: 150, intensityScale: true };

const EPS = 1e-6;
const BOUNDARY = 3;
/** Pixels per block of the kernel matrices (fits the L2 cache with room to spare). */
const BLOCK = 256;

/**
 * One normalised histogram of a packed 8-bit RGB image, flattened in (channel, u-bin, v-bin)
 * order; the whole vector sums to 1 (less EPS), or is all zero for an empty image.
 */
export function rgbUvHistogram(
  rgb: Uint8Array,
  width: number,
  height: number,
  p: RgbUvHistogramParams = DIFF_V2M_HISTOGRAM,
  /** `javascript`: skip the WebAssembly kernel (tests compare the two). */
  engine: 'auto' | 'javascript' = 'auto',
): Float32Array {
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`rgbUvHistogram: expected ${width * height * 3} bytes for ${width}×${height} RGB, got ${rgb.length}.`);
  }
  if (!Number.isInteger(p.bins) || p.bins < 2) throw new RangeError(`rgbUvHistogram: bins must be an integer ≥ 2, got ${p.bins}.`);
  if (!(p.sigma > 0)) throw new RangeError(`rgbUvHistogram: sigma must be positive, got ${p.sigma}.`);
  let px: ArrayLike<number> = rgb;
  let n = width * height;
  if (width > p.insz || height > p.insz) {
    px = resizeBilinear(rgb, width, height, 3, p.insz, p.insz);
    n = p.insz * p.insz;
  }
  const h = p.bins;
  const centres = new Float64Array(h);
  for (let k = 0; k < h; k++) centres[k] = -BOUNDARY + (2 * BOUNDARY * k) / (h - 1);
  const invS2 = 1 / (p.sigma * p.sigma);

  // Per channel, Hist = Aᵀ·B with A[p][k] = Iy·K(u_p − c_k), B[p][l] = K(v_p − c_l), done in
  // blocks of pixels stored bin-major so the inner loop is a contiguous dot product.
  const wasm = engine === 'auto' ? histogramKernel(h, BLOCK) : null;
  const hist = wasm ? wasm.out.fill(0) : new Float64Array(3 * h * h);
  const a = wasm ? wasm.a : [new Float64Array(h * BLOCK), new Float64Array(h * BLOCK), new Float64Array(h * BLOCK)];
  const b = wasm ? wasm.b : [new Float64Array(h * BLOCK), new Float64Array(h * BLOCK), new Float64Array(h * BLOCK)];
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    for (let q = 0; q < m; q++) {
      const i = start + q;
      const r = clamp01(px[3 * i]! / 255), g = clamp01(px[3 * i + 1]! / 255), bl = clamp01(px[3 * i + 2]! / 255);
      const iy = p.intensityScale ? Math.sqrt(r * r + g * g + bl * bl + EPS) : 1;
      const lr = Math.log(r + EPS), lg = Math.log(g + EPS), lb = Math.log(bl + EPS);
      fillKernels(a[0]!, b[0]!, q, lr - lg, lr - lb, iy);
      fillKernels(a[1]!, b[1]!, q, lg - lr, lg - lb, iy);
      fillKernels(a[2]!, b[2]!, q, lb - lr, lb - lg, iy);
    }
    for (let c = 0; c < 3; c++) {
      if (wasm) wasm.accumulate(c, m);
      else accumulateBlock(hist, c * h * h, a[c]!, b[c]!, m);
    }
  }
  function fillKernels(ac: Float64Array, bc: Float64Array, q: number, u: number, v: number, w: number): void {
    for (let k = 0; k < h; k++) {
      const du = u - centres[k]!, dv = v - centres[k]!;
      ac[k * BLOCK + q] = w / (1 + du * du * invS2);
      bc[k * BLOCK + q] = 1 / (1 + dv * dv * invS2);
    }
  }
  function accumulateBlock(out: Float64Array, off: number, ac: Float64Array, bc: Float64Array, m: number): void {
    // Four output bins per sweep share each load of A.
    for (let k = 0; k < h; k++) {
      const ak = k * BLOCK;
      let l = 0;
      for (; l + 3 < h; l += 4) {
        const b0 = l * BLOCK, b1 = b0 + BLOCK, b2 = b1 + BLOCK, b3 = b2 + BLOCK;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let q = 0; q < m; q++) {
          const x = ac[ak + q]!;
          s0 += x * bc[b0 + q]!;
          s1 += x * bc[b1 + q]!;
          s2 += x * bc[b2 + q]!;
          s3 += x * bc[b3 + q]!;
        }
        const o = off + k * h + l;
        out[o]! += s0;
        out[o + 1]! += s1;
        out[o + 2]! += s2;
        out[o + 3]! += s3;
      }
      for (; l < h; l++) {
        const bl = l * BLOCK;
        let s0 = 0;
        for (let q = 0; q < m; q++) s0 += ac[ak + q]! * bc[bl + q]!;
        out[off + k * h + l]! += s0;
      }
    }
  }
  let total = 0;
  for (const v of hist) total += v;
  const out = new Float32Array(hist.length);
  const norm = 1 / (total + EPS);
  for (let i = 0; i < hist.length; i++) out[i] = hist[i]! * norm;
  return out;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
