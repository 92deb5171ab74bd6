import type { ClipRecipe } from './manifest.ts';
import { PackError } from './pack-error.ts';

/**
 * What the frame stream must deliver for a pack's CLIP recipe: frames scaled (bicubic) so the
 * shorter side is `short_side` and centre-cropped square by the media layer; the final centre crop
 * to `center_crop` and the normalisation happen here.
 */
export function clipSamplingSize(r: ClipRecipe): number {
  if (r.resize.interpolation.toLowerCase() !== 'bicubic') {
    throw new PackError('UNSUPPORTED', `The pack's CLIP recipe asks for ${r.resize.interpolation} resizing; this app samples frames with bicubic resizing only.`);
  }
  if (r.resize.short_side < r.center_crop) throw new PackError('BAD_MANIFEST', `The CLIP recipe crops ${r.center_crop} px from a ${r.resize.short_side} px image.`);
  if (!/^NCHW RGB/i.test(r.layout)) throw new PackError('UNSUPPORTED', `The CLIP recipe's layout "${r.layout}" is not NCHW RGB.`);
  return r.resize.short_side;
}

/**
 * One packed RGB24 frame (side × side) → the CHW float32 pixels CLIP takes: torchvision's
 * CenterCrop offset round((side − crop)/2), then (value·pixel_scale − mean[c]) / std[c].
 */
export function clipPixels(rgb: Uint8Array, side: number, r: ClipRecipe, out = new Float32Array(3 * r.center_crop * r.center_crop)): Float32Array {
  const crop = r.center_crop;
  if (rgb.length !== side * side * 3) throw new RangeError(`Expected a ${side}×${side} RGB frame (${side * side * 3} bytes), got ${rgb.length}.`);
  if (side < crop) throw new RangeError(`A ${side} px frame cannot be cropped to ${crop} px.`);
  const off = Math.round((side - crop) / 2);
  const plane = crop * crop;
  const scale = [0, 1, 2].map((c) => r.pixel_scale / r.std[c]!);
  const shift = [0, 1, 2].map((c) => r.mean[c]! / r.std[c]!);
  for (let y = 0; y < crop; y++) {
    const row = ((y + off) * side + off) * 3;
    for (let x = 0; x < crop; x++) {
      const p = row + 3 * x;
      for (let c = 0; c < 3; c++) out[c * plane + y * crop + x] = rgb[p + c]! * scale[c]! - shift[c]!;
    }
  }
  return out;
}

/** Row-wise L2 normalisation, when the recipe asks for it. */
export function l2NormalizeRows(data: Float32Array, dim: number): void {
  for (let r = 0; r < data.length / dim; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += data[r * dim + i]! ** 2;
    const k = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < dim; i++) data[r * dim + i] *= k;
  }
}
