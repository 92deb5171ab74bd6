import { describe, expect, it } from 'vitest';
import { bgrToHsv } from '../../../electron/core/video/scene/index.ts';

function hsvOf(b: number, g: number, r: number): [number, number, number] {
  const p = bgrToHsv(Uint8Array.from([b, g, r]), 1, 1);
  return [p.hue[0]!, p.sat[0]!, p.val[0]!];
}

describe('bgrToHsv (OpenCV COLOR_BGR2HSV, 8-bit)', () => {
  it('greys have hue 0 and saturation 0', () => {
    expect(hsvOf(0, 0, 0)).toEqual([0, 0, 0]);
    expect(hsvOf(128, 128, 128)).toEqual([0, 0, 128]);
    expect(hsvOf(255, 255, 255)).toEqual([0, 0, 255]);
  });

  it('pure and secondary hues, worked through the 12-bit tables by hand', () => {
    // hdiv[255] = round(737280 / 1530) = 482; sdiv[255] = 4096.
    expect(hsvOf(0, 0, 255)).toEqual([0, 255, 255]); // red
    expect(hsvOf(0, 255, 0)).toEqual([60, 255, 255]); // green: (2·255·482 + 2048) >> 12 = 60
    expect(hsvOf(255, 0, 0)).toEqual([120, 255, 255]); // blue: 4·255·482 → 120
    expect(hsvOf(0, 255, 255)).toEqual([30, 255, 255]); // yellow: V == R wins, 255·482 → 30
    expect(hsvOf(255, 255, 0)).toEqual([90, 255, 255]); // cyan: (765·482 + 2048) >> 12 = 90
    expect(hsvOf(255, 0, 255)).toEqual([150, 255, 255]); // magenta: (−122910 + 2048) >> 12 = −30 → 150
    expect(hsvOf(0, 128, 255)).toEqual([15, 255, 255]); // orange: (61696 + 2048) >> 12 = 15
  });

  it('wraps negative hues to the top of 0..179', () => {
    // R max, B slightly above G: (−10·482 + 2048) >> 12 = −1 → 179.
    expect(hsvOf(10, 0, 255)).toEqual([179, 255, 255]);
    // A tiny negative rounds to 0, not 180.
    expect(hsvOf(1, 0, 255)).toEqual([0, 255, 255]);
  });

  it('uses fixed-point saturation, not float rounding', () => {
    // diff 100, v 200: sdiv[200] = round(1044480/200) = 5222 → (522200 + 2048) >> 12 = 127
    // (float would give 127.5); hue: hdiv[100] = 1229 → (50·1229 + 2048) >> 12 = 15.
    expect(hsvOf(100, 150, 200)).toEqual([15, 127, 200]);
  });

  it('stays within one step of the float definition for every sampled colour', () => {
    const n = 64 * 64 * 64;
    const bgr = new Uint8Array(n * 3);
    let i = 0;
    for (let b = 0; b < 256; b += 4) for (let g = 1; g < 256; g += 4) for (let r = 2; r < 256; r += 4) {
      bgr[i++] = b;
      bgr[i++] = g;
      bgr[i++] = r;
    }
    const p = bgrToHsv(bgr, 64 * 64, 64);
    const bad: string[] = [];
    for (let k = 0; k < n && bad.length < 5; k++) {
      const b = bgr[3 * k]!, g = bgr[3 * k + 1]!, r = bgr[3 * k + 2]!;
      const v = Math.max(b, g, r);
      const d = v - Math.min(b, g, r);
      let ok = p.val[k] === v && Math.abs(p.sat[k]! - (v === 0 ? 0 : (255 * d) / v)) <= 1 && p.hue[k]! < 180;
      if (d === 0) ok &&= p.hue[k] === 0;
      else {
        let deg = v === r ? (60 * (g - b)) / d : v === g ? 120 + (60 * (b - r)) / d : 240 + (60 * (r - g)) / d;
        if (deg < 0) deg += 360;
        const err = Math.abs(p.hue[k]! - deg / 2);
        ok &&= Math.min(err, 180 - err) <= 1;
      }
      if (!ok) bad.push(`BGR(${b},${g},${r}) → ${p.hue[k]},${p.sat[k]},${p.val[k]}`);
    }
    expect(bad).toEqual([]);
  });

  it('writes into caller buffers and rejects bad input', () => {
    const out = { hue: new Uint8Array(2), sat: new Uint8Array(2), val: new Uint8Array(2) };
    expect(bgrToHsv(Uint8Array.from([0, 0, 255, 255, 0, 0]), 2, 1, out)).toBe(out);
    expect(Array.from(out.hue)).toEqual([0, 120]);
    expect(() => bgrToHsv(new Uint8Array(5), 2, 1)).toThrow(/holds 5 bytes/);
    expect(() => bgrToHsv(new Uint8Array(0), 0, 1)).toThrow(/positive whole numbers/);
    expect(() => bgrToHsv(new Uint8Array(6), 2, 1, { hue: new Uint8Array(1), sat: new Uint8Array(2), val: new Uint8Array(2) })).toThrow(/2 bytes each/);
  });
});
