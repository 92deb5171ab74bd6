/**
 * The 1-fps "sampling" frame (centre square, 224 × 224 RGB) taken from a full-resolution BGR
 * analysis frame, so colour features need no second decode of the video. It frames the same
 * square as `media.samplingFrames` (scale the shorter side to 224, crop the centre) but filters
 * with a box average instead of ffmpeg's bicubic, which is what a downscale by ≥ 2 wants anyway.
 */
export function sampleFrameFromBgr(bgr: Uint8Array, width: number, height: number, side = 224): Uint8Array {
  if (bgr.length !== width * height * 3) {
    throw new RangeError(`sampleFrameFromBgr: expected ${width * height * 3} bytes for ${width}×${height} BGR, got ${bgr.length}.`);
  }
  const sq = Math.min(width, height);
  const x0 = Math.floor((width - sq) / 2);
  const y0 = Math.floor((height - sq) / 2);
  const out = new Uint8Array(side * side * 3);
  const edges = new Int32Array(side + 1);
  for (let i = 0; i <= side; i++) edges[i] = Math.floor((i * sq) / side);
  for (let oy = 0; oy < side; oy++) {
    const ya = y0 + edges[oy]!;
    const yb = Math.max(ya + 1, y0 + edges[oy + 1]!);
    for (let ox = 0; ox < side; ox++) {
      const xa = x0 + edges[ox]!;
      const xb = Math.max(xa + 1, x0 + edges[ox + 1]!);
      let b = 0, g = 0, r = 0;
      for (let y = ya; y < yb; y++) {
        let j = (y * width + xa) * 3;
        for (let x = xa; x < xb; x++, j += 3) {
          b += bgr[j]!;
          g += bgr[j + 1]!;
          r += bgr[j + 2]!;
        }
      }
      const cnt = (yb - ya) * (xb - xa);
      const o = (oy * side + ox) * 3;
      out[o] = Math.round(r / cnt);
      out[o + 1] = Math.round(g / cnt);
      out[o + 2] = Math.round(b / cnt);
    }
  }
  return out;
}
