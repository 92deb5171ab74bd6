import { describe, expect, it } from 'vitest';
import {
  containerName,
  describeProbeFailure,
  intervalStats,
  parsePacketCsv,
  parseProbe,
  parseRate,
  rotationOf,
} from '../../../electron/core/media/probe-parse.ts';
import { analysisSize, coverSize, roundHalfEven, thumbnailWidth } from '../../../electron/core/media/frame-geometry.ts';
import { unpackedFromAsar } from '../../../electron/core/media/binaries.ts';

describe('probe parsing', () => {
  it('parses rates', () => {
    expect(parseRate('30000/1001')).toBeCloseTo(29.97003, 5);
    expect(parseRate('0/0')).toBeUndefined();
    expect(parseRate('25')).toBe(25);
    expect(parseRate(undefined)).toBeUndefined();
  });

  it('reads rotation from the tag or the display matrix', () => {
    expect(rotationOf({ index: 0, tags: { rotate: '90' } })).toBe(90);
    expect(rotationOf({ index: 0, side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })).toBe(90);
    expect(rotationOf({ index: 0, side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(270);
    expect(rotationOf({ index: 0, side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] })).toBe(180);
    expect(rotationOf({ index: 0 })).toBe(0);
  });

  it('names the container after the extension when ffprobe lists it', () => {
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', '/a/b.mp4')).toBe('mp4');
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', '/a/b.MOV')).toBe('mov');
    expect(containerName('matroska,webm', '/a/b.webm')).toBe('webm');
    expect(containerName('matroska,webm', '/a/b.bin')).toBe('matroska');
    expect(containerName(undefined, 'x')).toBe('unknown');
  });

  it('tells constant from variable frame rate, tolerating coarse time bases', () => {
    const cfr = { pts: Array.from({ length: 50 }, (_, i) => i * 1001), durations: [] };
    expect(intervalStats(cfr)).toMatchObject({ frameCount: 50, medianInterval: 1001, vfr: false });
    // 29.97 fps in a 1/1000 time base alternates 33 and 34 ms: still constant.
    const coarse = { pts: Array.from({ length: 60 }, (_, i) => Math.round((i * 1000) / 29.97)), durations: [] };
    expect(intervalStats(coarse)!.vfr).toBe(false);
    const vfr = { pts: [0, 512, 1024, 2048, 2560, 4096], durations: [] };
    expect(intervalStats(vfr)!.vfr).toBe(true);
    // B-frame packets arrive out of order.
    expect(intervalStats({ pts: [0, 3003, 1001, 2002], durations: [] })!.vfr).toBe(false);
    expect(intervalStats({ pts: [], durations: [] })).toBeUndefined();
  });

  it('parses packet CSV, falling back to dts', () => {
    expect(parsePacketCsv('0,0,512\nN/A,512,512\n\n1024,N/A,N/A\n')).toEqual({ pts: [0, 512, 1024], durations: [512, 512, NaN] });
  });

  it('swaps display size for 90° rotation and flags truncation', () => {
    const info = parseProbe(
      {
        format: { format_name: 'mov,mp4', duration: '10.0', bit_rate: '1000' },
        streams: [
          {
            index: 0, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, time_base: '1/25',
            avg_frame_rate: '25/1', duration: '10.0', tags: { rotate: '90' },
          },
          { index: 1, codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2, channel_layout: 'stereo' },
        ],
      },
      { pts: Array.from({ length: 100 }, (_, i) => i), durations: [] },
      '/x.mp4',
      123,
    );
    expect(info.video).toMatchObject({ displayWidth: 1080, displayHeight: 1920, rotation: 90, frameCount: 100, fps: 25, vfr: false });
    expect(info.video!.durationSec).toBeCloseTo(4, 9);
    expect(info.warnings[0]).toMatch(/ends at 4\.00 s .* declares 10\.00 s/);
    expect(info.audio).toEqual({ index: 1, codec: 'aac', sampleRate: 48000, channels: 2, channelLayout: 'stereo', durationSec: null });
  });

  it('ignores cover-art pictures as video', () => {
    const info = parseProbe(
      { format: { format_name: 'mp3', duration: '3' }, streams: [{ index: 0, codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100', channels: 2 }, { index: 1, codec_type: 'video', codec_name: 'png', disposition: { attached_pic: 1 } }] },
      null, '/a.mp3', 1,
    );
    expect(info.video).toBeNull();
  });

  it('explains probe failures', () => {
    const stderr = '[mov,mp4 @ 0x1] moov atom not found\n/v.mp4: Invalid data found when processing input';
    const mp4Head = new Uint8Array([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]); // ....ftypisom
    expect(describeProbeFailure('/v.mp4', stderr, mp4Head)).toMatchObject({ code: 'TRUNCATED' });
    // A text file named .mp4 gets the same complaint from the MP4 demuxer, but is not an MP4.
    expect(describeProbeFailure('/v.mp4', stderr, new TextEncoder().encode('Dear diary, today'))).toMatchObject({ code: 'NOT_MEDIA' });
    const other = describeProbeFailure('/t.mp4', '/t.mp4: Invalid data found when processing input');
    expect(other.code).toBe('NOT_MEDIA');
    expect(other.message).toContain('Invalid data found when processing input');
  });
});

describe('frame geometry', () => {
  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 170.5, 171.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 170, 172, 2, 3]);
  });

  it('downscales like PySceneDetect 0.6.6 (longer side 256)', () => {
    expect(analysisSize(1280, 720)).toEqual({ width: 256, height: 144 });
    expect(analysisSize(1920, 1080)).toEqual({ width: 256, height: 144 });
    expect(analysisSize(640, 480)).toEqual({ width: 256, height: 192 });
    expect(analysisSize(480, 320)).toEqual({ width: 256, height: 171 });
    expect(analysisSize(720, 1280)).toEqual({ width: 144, height: 256 });
    expect(analysisSize(853, 479)).toEqual({ width: 256, height: 144 });
    expect(analysisSize(256, 100)).toEqual({ width: 256, height: 100 });
    expect(analysisSize(200, 100)).toEqual({ width: 200, height: 100 });
    expect(analysisSize(4000, 2)).toEqual({ width: 256, height: 1 });
  });

  it('covers a square for centre crops and keeps thumbnails even', () => {
    expect(coverSize(1280, 720, 224)).toEqual({ width: 398, height: 224 });
    expect(coverSize(720, 1280, 224)).toEqual({ width: 224, height: 398 });
    expect(thumbnailWidth(1280, 720, 72)).toBe(128);
    expect(thumbnailWidth(853, 479, 45) % 2).toBe(0);
  });
});

describe('binary paths', () => {
  it('points into app.asar.unpacked when packaged', () => {
    expect(unpackedFromAsar('/opt/V2M/resources/app.asar/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')).toBe(
      '/opt/V2M/resources/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
    );
    expect(unpackedFromAsar('C:\\V2M\\resources\\app.asar\\node_modules\\x\\ffmpeg.exe')).toBe(
      'C:\\V2M\\resources\\app.asar.unpacked\\node_modules\\x\\ffmpeg.exe',
    );
    expect(unpackedFromAsar('/home/u/proj/node_modules/x/ffmpeg')).toBe('/home/u/proj/node_modules/x/ffmpeg');
  });
});
