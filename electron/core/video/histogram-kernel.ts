import { WASM_BASE64 } from './histogram-kernel.wasm.ts';

/**
 * The RGB-uv histogram's inner product in WebAssembly SIMD (histogram-kernel.wat): the same sums
 * as the JavaScript loop, two pixels per f64x2, about twice as fast. Its arrays live in the
 * module's memory, so the caller fills them in place.
 */
export interface HistogramKernel {
  /** A: three channels × `bins` rows × `block` pixels; B likewise; out: three × bins × bins. */
  a: Float64Array[];
  b: Float64Array[];
  out: Float64Array;
  /** out[c] += A[c]ᵀ·B[c] over the first `m` pixels of the block (A's padding is zeroed here). */
  accumulate(c: number, m: number): void;
}

interface Exports {
  memory: WebAssembly.Memory;
  accumulate: (a: number, b: number, out: number, m2: number, h: number, stride: number) => void;
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JavaScript loop does the work
    }
  }
  return compiled;
}

const cache = new Map<string, HistogramKernel | null>();

/** A kernel for `bins` × `block` (one per size and thread), or null where it cannot run. */
export function histogramKernel(bins: number, block: number): HistogramKernel | null {
  const key = `${bins}x${block}`;
  if (cache.has(key)) return cache.get(key)!;
  let kernel: HistogramKernel | null = null;
  const mod = bins % 4 === 0 && block % 2 === 0 ? module() : null;
  if (mod) {
    const e = new WebAssembly.Instance(mod).exports as unknown as Exports;
    const plane = bins * block * 8;
    const bytes = 6 * plane + 3 * bins * bins * 8;
    const have = e.memory.buffer.byteLength;
    if (bytes > have) e.memory.grow(Math.ceil((bytes - have) / 65536));
    const buf = e.memory.buffer;
    const a = [0, 1, 2].map((c) => new Float64Array(buf, c * plane, bins * block));
    const b = [0, 1, 2].map((c) => new Float64Array(buf, (3 + c) * plane, bins * block));
    const outAt = 6 * plane;
    const out = new Float64Array(buf, outAt, 3 * bins * bins);
    kernel = {
      a, b, out,
      accumulate(c, m) {
        if (m % 2 === 1) for (let k = 0; k < bins; k++) a[c]![k * block + m] = 0;
        e.accumulate(c * plane, (3 + c) * plane, outAt + c * bins * bins * 8, m + (m % 2), bins, block * 8);
      },
    };
  }
  cache.set(key, kernel);
  return kernel;
}
