import { describe, expect, it } from 'vitest';
import type { Filmstrip } from '../../../../electron/shared/domain.ts';
import { nearestTimeIndex } from '../../lib/timeline/timeline-geometry.ts';
import { drawFilmstrip } from './track-draw.ts';

describe('filmstrip tiles placed by their own times', () => {
  it('finds the nearest time in an ascending list', () => {
    expect(nearestTimeIndex([], 1)).toBe(-1);
    expect(nearestTimeIndex([0, 2, 4, 7, 9], -1)).toBe(0);
    expect(nearestTimeIndex([0, 2, 4, 7, 9], 7.4)).toBe(3);
    expect(nearestTimeIndex([0, 2, 4, 7, 9], 8.1)).toBe(4);
    expect(nearestTimeIndex([0, 2, 4, 7, 9], 12)).toBe(4);
  });

  it('shows, at each tile, the frame whose timestamp is nearest, not the one at index t / interval', () => {
    // Nominally one tile every 2 s, but the variable-rate clip left a gap: 4 s, then 7 s.
    const times = [0, 2, 4, 7, 9];
    const strip: Filmstrip = { intervalSec: 2, width: 16, height: 9, frames: times.map((timeSec) => ({ timeSec, jpegBase64: '' })) };
    // 9 px tall tiles are 16 px wide; at 16 px/s each tile spans 1 s of the clip.
    const vp = { startSec: 0, pxPerSec: 16, widthPx: 160, durationSec: 10 };
    const asked: number[] = [];
    const ctx = { fillStyle: '', fillRect: () => undefined, drawImage: () => undefined } as unknown as CanvasRenderingContext2D;
    drawFilmstrip(ctx, vp, 9, strip, (index) => {
      asked.push(index);
      return {} as CanvasImageSource;
    });
    // Tile k starts at k seconds and shows the stored frame nearest it (the earlier one on a tie).
    expect(asked).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4]);
    // By index (round(t / 2)) the 7 s tile would show the 9 s frame and the 5 s tile the 7 s one.
  });
});
