/**
 * Luma (BT.601, 8-bit integer weights 29/150/77 of 256) of a packed BGR frame. Integer weights
 * keep the visual-rhythm curve identical across platforms.
 */
export function lumaFromBgr(bgr: Uint8Array, out?: Uint8Array): Uint8Array {
  const n = Math.floor(bgr.length / 3);
  const y = out && out.length === n ? out : new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    y[i] = (29 * bgr[j]! + 150 * bgr[j + 1]! + 77 * bgr[j + 2]! + 128) >> 8;
  }
  return y;
}

/** Mean absolute difference of two equal-sized luma planes, in 8-bit levels (0..255). */
export function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`meanAbsDifference: planes differ in size (${a.length} vs ${b.length}).`);
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d < 0 ? -d : d;
  }
  return s / a.length;
}
