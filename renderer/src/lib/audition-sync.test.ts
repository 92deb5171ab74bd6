import { describe, expect, it } from 'vitest';
import { alignedStart, heardPerfMs, mediaAt, musicAt, offsetMs, OffsetWindow, type OutputStamp } from './audition-sync.ts';

describe('audition clock maths', () => {
  // The speakers play context time 10 s at performance time 5000 ms.
  const stamp: OutputStamp = { contextSec: 10, perfMs: 5000 };

  it('starts the music where the picture will be when the first sample is heard', () => {
    // Frame at media 3 s shown at 5100 ms; the source starts at context 10.3 s, heard at 5300 ms.
    const frame = { mediaSec: 3, displayPerfMs: 5100 };
    expect(heardPerfMs(stamp, 10.3)).toBeCloseTo(5300, 9);
    const seg = alignedStart(frame, stamp, 10.3, 1);
    expect(seg.musicStart).toBeCloseTo(3.2, 9);
    // So every later frame hears its own time: offset 0 at 1x and at 2x.
    expect(offsetMs(seg, stamp, { mediaSec: 4, displayPerfMs: 6100 })).toBeCloseTo(0, 6);
    const fast = alignedStart(frame, stamp, 10.3, 2);
    expect(fast.musicStart).toBeCloseTo(3.4, 9);
    expect(offsetMs(fast, stamp, { mediaSec: 5, displayPerfMs: 6100 })).toBeCloseTo(0, 6);
  });

  it('measures music ahead of the picture as a positive offset, including output latency', () => {
    // Scheduled naively at the frame's media time with no regard for the 86 ms the sound takes to come out.
    const seg = { ctxStart: 10.086, musicStart: 3.086, rate: 1 };
    expect(offsetMs(seg, stamp, { mediaSec: 3, displayPerfMs: 5000 })).toBeCloseTo(-0, 6);
    const late = { ctxStart: 10, musicStart: 2.914, rate: 1 };
    expect(offsetMs(late, stamp, { mediaSec: 3, displayPerfMs: 5000 })).toBeCloseTo(-86, 6);
    expect(musicAt(late, 11)).toBeCloseTo(3.914, 9);
    expect(mediaAt({ mediaSec: 1, displayPerfMs: 0 }, 500, 2)).toBe(2);
  });

  it('asks for a re-alignment only when a full window of frames is off, not for one late frame', () => {
    const w = new OffsetWindow(5, 20);
    for (const ms of [2, -3, 90, 1, 0]) w.add(ms);
    expect(w.needsRealign).toBe(false);
    expect(w.median).toBe(1);
    for (const ms of [30, 31, 29, 35]) w.add(ms);
    expect(w.needsRealign).toBe(true);
    w.clear(2);
    expect(w.count).toBe(0);
    expect(w.needsRealign).toBe(false);
    // A fresh start is checked after fewer frames.
    w.add(40);
    w.add(41);
    expect(w.needsRealign).toBe(true);
  });

  it('tolerates 60 % of a frame: 20 ms at 29.97 fps, 10 ms at 60, never over 25', () => {
    const w = new OffsetWindow(1);
    w.setFrameRate(30000 / 1001);
    expect(w.limit).toBeCloseTo(20.02, 2);
    w.setFrameRate(60);
    expect(w.limit).toBe(10);
    w.setFrameRate(12);
    expect(w.limit).toBe(25);
    w.add(11);
    expect(w.needsRealign).toBe(false);
    w.setFrameRate(60);
    expect(w.needsRealign).toBe(true);
  });
});
