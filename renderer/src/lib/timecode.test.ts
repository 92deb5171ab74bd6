import { describe, expect, it } from 'vitest';
import { formatTimecode, frameAt, frameToTimecode, isDropFrame } from './timecode.ts';

const ntsc = 30000 / 1001;
const ntsc60 = 60000 / 1001;

describe('timecode', () => {
  it('always shows hours, so 00:15:00:00 cannot be read as fifteen minutes of MM:SS:FF', () => {
    expect(formatTimecode(0, 25)).toBe('00:00:00:00');
    expect(formatTimecode(1.9999, 25)).toBe('00:00:01:24');
    expect(formatTimecode(3725.5, 25)).toBe('01:02:05:12');
    expect(formatTimecode(15 * 60, 24)).toBe('00:15:00:00');
  });

  it('writes drop-frame with a semicolon at 29.97 and 59.94, non-drop elsewhere', () => {
    expect(isDropFrame(ntsc)).toBe(true);
    expect(isDropFrame(29.97)).toBe(true);
    expect(isDropFrame(ntsc60)).toBe(true);
    expect(isDropFrame(24000 / 1001)).toBe(false);
    expect(isDropFrame(30)).toBe(false);
    expect(formatTimecode(1.001, ntsc)).toBe('00:00:01;00');
    expect(formatTimecode(6.006, ntsc)).toBe('00:00:06;00');
    expect(formatTimecode(13.1465, ntsc)).toBe('00:00:13;04');
    expect(formatTimecode(2.0, ntsc, 'round')).toBe('00:00:02;00');
    expect(formatTimecode(1, 30)).toBe('00:00:01:00');
    expect(formatTimecode(1.001, 24000 / 1001)).toBe('00:00:01:00');
  });

  it('skips frame numbers 00 and 01 each minute except every tenth', () => {
    expect(frameToTimecode(1799, ntsc)).toBe('00:00:59;29');
    expect(frameToTimecode(1800, ntsc)).toBe('00:01:00;02');
    expect(frameToTimecode(17981, ntsc)).toBe('00:09:59;29');
    expect(frameToTimecode(17982, ntsc)).toBe('00:10:00;00');
    expect(frameToTimecode(17982 + 1800, ntsc)).toBe('00:11:00;02');
    // One hour of 29.97 is 107892 frames and reads exactly 01:00:00;00.
    expect(frameToTimecode(107892, ntsc)).toBe('01:00:00;00');
  });

  it('drops four frame numbers at 59.94', () => {
    expect(frameToTimecode(3599, ntsc60)).toBe('00:00:59;59');
    expect(frameToTimecode(3600, ntsc60)).toBe('00:01:00;04');
    expect(frameToTimecode(35964, ntsc60)).toBe('00:10:00;00');
  });

  it('keeps a frame start reported a microsecond early in its own frame', () => {
    // Chromium reports currentTime rounded to microseconds: frame 2 at 29.97 reads 0.066733 s.
    expect(frameAt(0.066733, ntsc)).toBe(2);
    expect(frameAt(Math.round((200 * 1001) / 30000 * 1e6) / 1e6, ntsc)).toBe(200);
    expect(frameAt(6.006, ntsc)).toBe(180);
    expect(frameAt(0.0333, ntsc)).toBe(0);
  });
});
