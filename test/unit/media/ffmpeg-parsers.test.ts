import { describe, expect, it } from 'vitest';
import { mixFilter, parseEbur128Summary } from '../../../electron/core/media/index.ts';

/** Captured from ffmpeg's ebur128 filter (peak=true) on a rendered 30 s piece. */
const SUMMARY = `[Parsed_ebur128_0 @ 0x1d7efec0] t: 30         TARGET:-23 LUFS    M: -33.0 S: -16.3     I: -14.0 LUFS       LRA:   1.9 LU  FTPK: -35.8 -36.9 dBFS  TPK:  -1.3  -1.3 dBFS
size=N/A time=00:00:30.00 bitrate=N/A speed=90.3x
video:0kB audio:5625kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[Parsed_ebur128_0 @ 0x1d7efec0] Summary:

  Integrated loudness:
    I:         -14.0 LUFS
    Threshold: -24.1 LUFS

  Loudness range:
    LRA:         1.9 LU
    Threshold: -34.0 LUFS
    LRA low:   -15.0 LUFS
    LRA high:  -13.1 LUFS

  True peak:
    Peak:       -1.3 dBFS`;

describe('parseEbur128Summary', () => {
  it('reads integrated loudness, range and true peak from the summary, not the per-frame lines', () => {
    expect(parseEbur128Summary(SUMMARY)).toEqual({
      integratedLufs: -14, thresholdLufs: -24.1, lraLu: 1.9, lraLowLufs: -15, lraHighLufs: -13.1, truePeakDbtp: -1.3,
    });
  });

  it('handles silence (-inf) and a summary without true peak', () => {
    const silent = SUMMARY.replace('I:         -14.0 LUFS', 'I:         -70.0 LUFS').replace('Peak:       -1.3 dBFS', 'Peak:        -inf dBFS');
    expect(parseEbur128Summary(silent).truePeakDbtp).toBe(-Infinity);
    expect(parseEbur128Summary(SUMMARY.slice(0, SUMMARY.indexOf('  True peak'))).truePeakDbtp).toBeNull();
  });

  it('fails clearly without a summary or with a broken one', () => {
    expect(() => parseEbur128Summary('Stream #0:0: Video: h264')).toThrow(/no ebur128 summary/);
    expect(() => parseEbur128Summary('Summary:\n  Integrated loudness:\n    I: x LUFS')).toThrow(/incomplete/);
  });
});

describe('mixFilter', () => {
  it('replaces without a filter, mixes the original under the music, or ducks the music under the original', () => {
    expect(mixFilter('replace')).toBeNull();
    expect(mixFilter('mix', -9)).toMatch(/\[0:a:0\]aresample=48000,aformat=.*stereo,volume=-9dB\[o\].*amix=inputs=2.*\[a\]$/);
    const duck = mixFilter('duck')!;
    expect(duck).toMatch(/\[m\]\[key\]sidechaincompress/);
    expect(duck).toMatch(/alimiter/);
  });
});
