/**
 * Diff-V2M RhythmConditioner.resize_spectrogram + normalize_tensor for one item: a (T × C)
 * feature is zero-padded to at least M rows, averaged over blocks of ⌊T/M⌋ × ⌊C/cols⌋
 * (remainders dropped), then z-scored over the whole matrix (sample std, + 1e-6).
 * Returns M × cols, row-major.
 */
export function blockResizeNormalize(feature: ArrayLike<number>, frames: number, channels: number, rows: number, cols: number): Float32Array {
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`Target shape must be positive integers, got ${rows}×${cols}.`);
  }
  if (channels < cols) throw new RangeError(`Cannot resize ${channels} channels down to ${cols}.`);
  if (feature.length !== frames * channels) throw new RangeError(`Expected ${frames}×${channels} values, got ${feature.length}.`);
  const t = Math.max(frames, rows);
  const sm = Math.floor(t / rows);
  const sc = Math.floor(channels / cols);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let r = i * sm; r < (i + 1) * sm; r++) {
        if (r >= frames) continue; // zero padding
        for (let c = j * sc; c < (j + 1) * sc; c++) acc += feature[r * channels + c]!;
      }
      out[i * cols + j] = acc / (sm * sc);
    }
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  let ss = 0;
  for (const v of out) ss += (v - mean) ** 2;
  const std = (out.length > 1 ? Math.sqrt(ss / (out.length - 1)) : NaN) + 1e-6;
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - mean) / std;
  return out;
}
