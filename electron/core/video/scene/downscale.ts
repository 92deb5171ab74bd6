import { analysisSize } from '../../media/frame-geometry.ts';
import { LinearResizer, type SourceGrid } from './resize-linear.ts';

export interface PixelFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * PySceneDetect's auto-downscale (SIGNALS §1.2): factor = longer side / 256 when the longer side
 * is over 256, sides rounded half-to-even, OpenCV INTER_LINEAR. Returns the input itself when no
 * resize applies.
 */
export function pysceneDownscale(src: Uint8Array, width: number, height: number, channels: number): PixelFrame {
  return new PysceneDownscaler().downscale(src, width, height, channels, false);
}

/**
 * The source pixels PySceneDetect's downscale of a `width`×`height` frame reads, or null when no
 * resize applies (every pixel is used as it is).
 */
export function pysceneGrid(width: number, height: number): SourceGrid | null {
  const size = analysisSize(width, height);
  if (size.width === width && size.height === height) return null;
  return new LinearResizer(width, height, 3, size.width, size.height, true).grid;
}

/**
 * The same, for a stream of frames: tables and the output buffer are reused between calls.
 * `gathered`: frames arrive as only their `pysceneGrid` pixels (ffmpeg's remap), not whole.
 */
export class PysceneDownscaler {
  constructor(private readonly gathered = false) {}

  private resizer: LinearResizer | null = null;
  private readonly frame: PixelFrame = { data: new Uint8Array(0), width: 0, height: 0 };
  private readonly passThrough: PixelFrame = { data: new Uint8Array(0), width: 0, height: 0 };

  /**
   * `reuse` (default true): the result (object and pixels) is internal and the next call
   * overwrites it, so a stream allocates nothing per frame; pass false for a fresh array.
   */
  downscale(src: Uint8Array, width: number, height: number, channels: number, reuse = true): PixelFrame {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new RangeError(`Frame size must be positive whole numbers of pixels, got ${width}×${height}.`);
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new RangeError(`Channels must be 1 to 4, got ${channels}.`);
    const size = analysisSize(width, height);
    const identity = size.width === width && size.height === height;
    if (!this.gathered || identity) {
      if (src.length !== width * height * channels) {
        throw new RangeError(`Frame buffer holds ${src.length} bytes; ${width}×${height}×${channels} needs ${width * height * channels}.`);
      }
    }
    if (identity) {
      if (!reuse) return { data: src, width, height };
      const p = this.passThrough;
      p.data = src;
      p.width = width;
      p.height = height;
      return p;
    }
    let r = this.resizer;
    const f = this.frame;
    if (!r || r.srcWidth !== width || r.srcHeight !== height || r.channels !== channels) {
      r = this.resizer = new LinearResizer(width, height, channels, size.width, size.height, this.gathered);
      f.data = new Uint8Array(r.outputLength);
      f.width = size.width;
      f.height = size.height;
    }
    if (!reuse) return { data: r.resize(src), width: size.width, height: size.height };
    r.resize(src, f.data);
    return f;
  }
}
