import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bgrToHsv, EdgeMapper, resizeLinear } from '../../../electron/core/video/scene/index.ts';
import { lcgBytes as lcg } from '../../helpers/noise.ts';

/*
 * SHA-256 of OpenCV's own output (opencv-python-headless 5.0.0: cv2.resize INTER_LINEAR,
 * cv2.cvtColor BGR2HSV, cv2.Canny + cv2.dilate with PySceneDetect's thresholds and kernel) on
 * inputs both sides generate from the same LCG, so no image needs to be stored.
 */

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');


describe('bit-exact against OpenCV 5.0', () => {
  it('cv2.resize INTER_LINEAR: portrait, odd sizes, 1 and 4 channels, upscales', () => {
    const cases: Array<[number, number, number, number, number, string]> = [
      [720, 1280, 3, 144, 256, '30f42aaffc7738e6cbd8b4085e670a0bdaae95d4c2f8d4e5862f32cf68b2437e'],
      [480, 320, 3, 256, 171, '817776d7e0c1b802f49c8c83a921875410b854d20bd6fe99db0296d76386c1de'],
      [513, 300, 3, 256, 150, 'b1e5c9ecc09b814768869fb823962a7108515139b78a8b0f4eba3169ef3465ec'],
      [97, 61, 1, 40, 25, '83a0857c9923d94a814422610580dc41a75b9612acdbaf246f123fa32890c155'],
      [50, 30, 4, 101, 77, 'ec8318b08a5164a3ea6a632f960aeaa34fd42286b98a447c2fbee59a3f33f37b'],
      [7, 5, 3, 3, 9, '7d1212e03d8af1363e42a4410541c04bc8b255f88f0041e856dccb19b83b4d32'],
    ];
    for (const [sw, sh, cn, dw, dh, hash] of cases) {
      const out = resizeLinear(lcg(sw * sh * cn, sw * 31 + sh), sw, sh, cn, dw, dh);
      expect(sha256(out), `${sw}×${sh}×${cn} → ${dw}×${dh}`).toBe(hash);
    }
  });

  it('cv2.cvtColor BGR2HSV on all 2^24 colours', () => {
    // Pixel (b, g, r) at index b·65536 + g·256 + r, as a 4096×4096 image.
    const bgr = new Uint8Array(3 << 24);
    for (let i = 0, k = 0; i < 1 << 24; i++) {
      bgr[k++] = i >>> 16;
      bgr[k++] = (i >>> 8) & 255;
      bgr[k++] = i & 255;
    }
    const p = bgrToHsv(bgr, 4096, 4096);
    const hsv = bgr; // reuse the memory: interleave H, S, V as cv2 returns them
    for (let i = 0, k = 0; i < 1 << 24; i++) {
      hsv[k++] = p.hue[i]!;
      hsv[k++] = p.sat[i]!;
      hsv[k++] = p.val[i]!;
    }
    expect(sha256(hsv)).toBe('cc4c8f3a2064ffaed3776170c4dfa02c90011b02dbc7ece07b7fced54069ad55');
  });

  it('Canny + dilate edge maps (PySceneDetect thresholds and kernel)', () => {
    const cases: Array<[number, number, string]> = [
      [256, 144, '133108105eebc11c4f1324bde8c5e643bc365d99644efe573e95ef61ffb957c4'],
      [144, 256, 'e05094e9d51b72c6ea135e760c272ea02f2949970f292686528f861ac50af22e'],
      [37, 23, '9768235b0dbe77efc721742d4cc10eeb3bc57c6bc9687c84e17942b177d83f9b'],
    ];
    for (const [w, h, hash] of cases) {
      // 16-px blocks of LCG grey levels, then a 3×3 box mean (replicated border, floor).
      const bw = (w >> 4) + 1;
      const blocks = lcg(bw * ((h >> 4) + 1), w * 7 + h);
      const at = (x: number, y: number) => blocks[(Math.min(Math.max(y, 0), h - 1) >> 4) * bw + (Math.min(Math.max(x, 0), w - 1) >> 4)]!;
      const lum = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += at(x + dx, y + dy);
          lum[y * w + x] = Math.floor(s / 9);
        }
      }
      const edges = new EdgeMapper(w, h).compute(lum);
      expect(sha256(edges), `${w}×${h}`).toBe(hash);
    }
  });
});
