import { describe, expect, it } from 'vitest';
import {
  canDropFrame, framesToRational, framesToTimecode, parseRate, rateFromFps, rationalToFrames, timecodeToFrames, TimecodeError,
} from '../../../electron/core/timeline/timecode.ts';
import { formatTimecode } from '../../../electron/core/media/timecode.ts';

const R2997 = { num: 30000, den: 1001 };
const R5994 = { num: 60000, den: 1001 };
const R25 = { num: 25, den: 1 };
const R23976 = { num: 24000, den: 1001 };

describe('frame rates', () => {
  it('maps decimal NTSC rates back to their exact rationals', () => {
    expect(rateFromFps(29.97)).toEqual(R2997);
    expect(rateFromFps(29.97002997)).toEqual(R2997);
    expect(rateFromFps(23.976)).toEqual(R23976);
    expect(rateFromFps(59.94)).toEqual(R5994);
    expect(rateFromFps(25)).toEqual(R25);
    expect(rateFromFps(12.5)).toEqual({ num: 25, den: 2 });
  });
  it('parses rationals and decimals, rejects words', () => {
    expect(parseRate('30000/1001')).toEqual(R2997);
    expect(parseRate('50/2')).toEqual(R25);
    expect(parseRate('23.976')).toEqual(R23976);
    expect(() => parseRate('fast')).toThrow(/not a frame rate/);
    expect(() => parseRate('0/1')).toThrow(TimecodeError);
  });
  it('knows which rates have drop-frame', () => {
    expect(canDropFrame(R2997)).toBe(true);
    expect(canDropFrame(R5994)).toBe(true);
    expect(canDropFrame(R25)).toBe(false);
    expect(canDropFrame(R23976)).toBe(false);
  });
});

describe('drop-frame timecode', () => {
  it('skips frames 0 and 1 at each minute except every tenth (29.97)', () => {
    const f = timecodeToFrames('00:00:59;29', R2997);
    expect(f).toBe(1799);
    expect(framesToTimecode(f + 1, R2997, true)).toBe('00:01:00;02');
    const g = timecodeToFrames('00:09:59;29', R2997);
    expect(framesToTimecode(g + 1, R2997, true)).toBe('00:10:00;00');
    expect(timecodeToFrames('00:10:00;00', R2997)).toBe(17982);
    expect(timecodeToFrames('01:00:00;00', R2997)).toBe(107892);
  });
  it('skips four frames at 59.94', () => {
    const f = timecodeToFrames('00:00:59;59', R5994);
    expect(framesToTimecode(f + 1, R5994, true)).toBe('00:01:00;04');
    expect(framesToTimecode(timecodeToFrames('00:09:59;59', R5994) + 1, R5994, true)).toBe('00:10:00;00');
    expect(timecodeToFrames('01:00:00;00', R5994)).toBe(215784);
  });
  it('round-trips every frame of the first 11 minutes and a long stretch at 59.94', () => {
    const bad: number[] = [];
    for (let f = 0; f < 30 * 60 * 11; f++) if (timecodeToFrames(framesToTimecode(f, R2997, true), R2997) !== f) bad.push(f);
    for (let f = 200_000; f < 240_000; f++) if (timecodeToFrames(framesToTimecode(f, R5994, true), R5994) !== f) bad.push(f);
    expect(bad).toEqual([]);
  });
  it('stays within a frame of wall-clock time after an hour', () => {
    const f = timecodeToFrames('01:00:00;00', R2997);
    expect(Math.abs((f * 1001) / 30000 - 3600)).toBeLessThan(1001 / 30000);
  });
  it('rejects labels drop-frame never shows, and DF at other rates', () => {
    expect(() => timecodeToFrames('00:01:00;00', R2997)).toThrow(/does not exist in drop-frame/);
    expect(() => timecodeToFrames('00:01:00;01', R2997)).toThrow(/does not exist/);
    expect(timecodeToFrames('00:10:00;01', R2997)).toBe(17983);
    expect(() => timecodeToFrames('00:00:01;00', R25)).toThrow(/only at 29.97 and 59.94/);
    expect(() => framesToTimecode(10, R25, true)).toThrow(/only at 29.97 and 59.94/);
  });
});

describe('non-drop timecode', () => {
  it('counts nominal frames per second', () => {
    expect(timecodeToFrames('01:00:00:00', R25)).toBe(90000);
    expect(timecodeToFrames('01:00:04:05', R23976)).toBe(86501);
    expect(framesToTimecode(86501, R23976)).toBe('01:00:04:05');
    expect(timecodeToFrames('00:01:00:00', R2997, false)).toBe(1800);
    expect(framesToTimecode(1800, R2997)).toBe('00:01:00:00');
  });
  it('wraps at 24 hours and never prints a negative', () => {
    expect(framesToTimecode(24 * 3600 * 25 + 3, R25)).toBe('00:00:00:03');
    expect(framesToTimecode(-1, R25)).toBe('23:59:59:24');
  });
  it('rejects malformed timecode with the text in the message', () => {
    expect(() => timecodeToFrames('1:2:3', R25)).toThrow(/"1:2:3" is not a timecode/);
    expect(() => timecodeToFrames('00:00:00:25', R25)).toThrow(/frame 25/);
    expect(() => timecodeToFrames('00:61:00:00', R25)).toThrow(/above 59/);
    expect(() => framesToTimecode(1.5, R25)).toThrow(/whole frame/);
  });
});

describe('rational seconds', () => {
  it('rounds FCPXML rationals to the nearest frame on integers', () => {
    expect(rationalToFrames({ n: 1001, d: 30000 }, R2997)).toBe(1);
    expect(rationalToFrames({ n: 2596698013, d: 720000 }, { num: 30, den: 1 })).toBe(108196);
    expect(rationalToFrames({ n: 1, d: 60 }, { num: 30, den: 1 })).toBe(1); // half a frame rounds up
  });
  it('writes frames back as reduced rationals', () => {
    expect(framesToRational(3, R2997)).toEqual({ n: 1001, d: 10000 });
    expect(framesToRational(50, R25)).toEqual({ n: 2, d: 1 });
    expect(framesToRational(0, R25)).toEqual({ n: 0, d: 1 });
  });
});

describe('formatTimecode (media)', () => {
  it('delegates to the timeline maths, with drop-frame on request', () => {
    expect(formatTimecode(61, 25)).toBe('00:01:01:00');
    expect(formatTimecode(60.06, 29.97, true)).toBe('00:01:00;02');
    expect(formatTimecode(3600, 30000 / 1001)).toBe('00:59:56:12');
  });
});
