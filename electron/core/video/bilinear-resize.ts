/**
 * PyTorch `F.interpolate(mode='bilinear', align_corners=False)` without antialiasing, on a packed
 * interleaved image: source coordinate (dst + 0.5)·(in/out) − 0.5, clamped at 0. Output is float
 * in the input's units. HistoGAN resizes its input this way.
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  if (src.length !== width * height * channels) {
    throw new RangeError(`resizeBilinear: expected ${width * height * channels} values for ${width}×${height}×${channels}, got ${src.length}.`);
  }
  if (!(outWidth >= 1 && outHeight >= 1)) throw new RangeError(`resizeBilinear: output size must be positive, got ${outWidth}×${outHeight}.`);
  const out = new Float32Array(outWidth * outHeight * channels);
  const xs = axis(width, outWidth);
  const ys = axis(height, outHeight);
  for (let y = 0; y < outHeight; y++) {
    const y0 = ys.i0[y]!, y1 = ys.i1[y]!, fy = ys.f[y]!;
    for (let x = 0; x < outWidth; x++) {
      const x0 = xs.i0[x]!, x1 = xs.i1[x]!, fx = xs.f[x]!;
      const o = (y * outWidth + x) * channels;
      const a = (y0 * width + x0) * channels, b = (y0 * width + x1) * channels;
      const c = (y1 * width + x0) * channels, d = (y1 * width + x1) * channels;
      for (let k = 0; k < channels; k++) {
        const top = (1 - fx) * src[a + k]! + fx * src[b + k]!;
        const bot = (1 - fx) * src[c + k]! + fx * src[d + k]!;
        out[o + k] = (1 - fy) * top + fy * bot;
      }
    }
  }
  return out;
}

function axis(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const scale = inSize / outSize;
  const i0 = new Int32Array(outSize), i1 = new Int32Array(outSize), f = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5);
    const lo = Math.min(Math.floor(s), inSize - 1);
    i0[o] = lo;
    i1[o] = Math.min(lo + 1, inSize - 1);
    f[o] = s - lo;
  }
  return { i0, i1, f };
}
