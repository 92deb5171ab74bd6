import { describe, expect, it } from 'vitest';
import { JpegSplitter, parseShowinfoLine, ShowinfoTimes } from '../../../electron/core/media/showinfo.ts';

const frameLine = (n: number, pts: number, ptsTime: string) =>
  `[Parsed_showinfo_2 @ 0x55d0c1a0] n:${String(n).padStart(4)} pts:${String(pts).padStart(7)} pts_time:${ptsTime.padEnd(8)} pos:   3876 fmt:rgb24 sar:1/1 s:256x144 i:P iskey:0 type:B checksum:422F4E1A`;

describe('showinfo parsing', () => {
  it('reads frame number and time', () => {
    expect(parseShowinfoLine(frameLine(1, 1001, '0.0333667'))).toEqual({ instance: 'Parsed_showinfo_2', n: 1, pts: 1001, ptsTime: 0.0333667 });
    expect(parseShowinfoLine('[Parsed_showinfo_1 @ 0x1] color_range:tv color_space:unknown')).toBeUndefined();
    expect(parseShowinfoLine('frame=  10 fps=0.0 q=-0.0 size=N/A')).toBeUndefined();
  });

  it('computes exact times from the announced time base', () => {
    const t = new ShowinfoTimes();
    expect(t.line('[Parsed_showinfo_1 @ 0x1] config in time_base: 1/30000, frame_rate: 30000/1001')).toBeUndefined();
    expect(t.line(frameLine(30, 30030, '1.001'))).toBe(1.001);
    expect(t.line(frameLine(1, 1001, '0.0333667'))).toBeCloseTo(1001 / 30000, 15);
  });

  it('keeps the frames of named instances apart on a shared stderr', () => {
    const frames = new ShowinfoTimes('frames');
    const thumbs = new ShowinfoTimes('thumbs');
    const lines = [
      '[showinfo@thumbs @ 0x230d5400] config in time_base: 1/30000, frame_rate: 30000/1001',
      '[showinfo@frames @ 0x230d2cc0] config in time_base: 1/90000, frame_rate: 30000/1001',
      '[showinfo@thumbs @ 0x230d5400] n:   1 pts:  30030 pts_time:1.001   pos:     7467 fmt:yuvj420p',
      '[showinfo@frames @ 0x230d2cc0] n:   1 pts:   3003 pts_time:0.0333667 pos:     3876 fmt:bgr24',
    ];
    expect(lines.map((l) => frames.line(l))).toEqual([undefined, undefined, undefined, 3003 / 90000]);
    expect(lines.map((l) => thumbs.line(l))).toEqual([undefined, undefined, 1.001, undefined]);
    expect(parseShowinfoLine(lines[2]!)).toMatchObject({ instance: 'thumbs', n: 1, pts: 30030 });
  });

  it('falls back to the printed time without a time base', () => {
    expect(new ShowinfoTimes().line(frameLine(3, 3, '0.12'))).toBe(0.12);
  });
});

describe('JpegSplitter', () => {
  const jpeg = (body: number[]) => Buffer.from([0xff, 0xd8, ...body, 0xff, 0xd9]);

  it('splits concatenated images across arbitrary chunk boundaries', () => {
    const a = jpeg([1, 2, 0xff, 0x00, 3]);
    const b = jpeg([4, 0xff, 0xd0, 5, 6, 7]);
    const all = Buffer.concat([a, b]);
    for (let cut = 1; cut < all.length; cut++) {
      const s = new JpegSplitter();
      const out = [...s.push(all.subarray(0, cut)), ...s.push(all.subarray(cut))];
      expect(out.map((x) => [...x])).toEqual([[...a], [...b]]);
      expect(s.pendingBytes).toBe(0);
    }
  });

  it('keeps an unfinished image pending', () => {
    const s = new JpegSplitter();
    expect(s.push(Buffer.from([0xff, 0xd8, 1, 2]))).toEqual([]);
    expect(s.pendingBytes).toBe(4);
  });
});
