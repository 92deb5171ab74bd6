import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  analysisFrames,
  audioChunks,
  decodeAudio,
  liveMediaProcessCount,
  MediaError,
  probe,
  resolveBinary,
  samplingFrames,
  thumbnails,
  type JpegFrame,
  type VideoFrame,
} from '../../electron/core/media/index.ts';
import { clearBinaryCache } from '../../electron/core/media/binaries.ts';
import { badInputs } from '../helpers/bad-inputs.ts';
import { cutsClip, makeClip } from '../helpers/clips.ts';
import { childMediaProcesses } from '../helpers/processes.ts';
import { pysceneResources, testVideo } from '../helpers/paths.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('probe on real footage', () => {
  it('describes testvideo.mp4', async () => {
    const info = await probe(testVideo);
    expect(info.container).toBe('mp4');
    expect(info.durationSec).toBeCloseTo(24.0233, 3);
    expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, frameCount: 720, vfr: false, rotation: 0 });
    expect(info.video!.fps).toBeCloseTo(30000 / 1001, 6);
    expect(info.video!.realFps).toBeCloseTo(30000 / 1001, 6);
    expect(info.audio).toBeNull();
    expect(info.warnings).toEqual([]);
  });

  it.each(['fades.mp4', 'counter.mp4', 'delayed_start.mp4'])('probes %s', async (name) => {
    const info = await probe(path.join(pysceneResources, name));
    expect(info.video).not.toBeNull();
    expect(info.video!.frameCount).toBeGreaterThan(10);
    expect(info.durationSec).toBeGreaterThan(0);
  });
});

describe('generated clips', () => {
  let cuts: string;
  beforeAll(async () => {
    cuts = await cutsClip('cuts-320x240-25fps.mp4', { cutTimes: [1, 2.5], durationSec: 4, audio: true });
  });

  it('reports frame count, rate and audio of a clip with known cuts', async () => {
    const info = await probe(cuts);
    expect(info.video).toMatchObject({ width: 320, height: 240, frameCount: 100, vfr: false, fps: 25 });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 1 });
  });

  it('streams every frame at 256 px with exact timestamps, and the cuts are where they were made', async () => {
    const frames = await collect(analysisFrames(cuts));
    expect(frames).toHaveLength(100);
    expect(frames[0]).toMatchObject({ width: 256, height: 192 });
    expect(frames[0]!.data.length).toBe(256 * 192 * 3);
    frames.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect(f.ptsSec).toBeCloseTo(i / 25, 9);
    });
    // Colour changes red → blue at 1 s (frame 25) and blue → green at 2.5 s (frame 63: the
    // 1.5 s blue segment rounds up to 38 frames).
    const centre = (f: VideoFrame) => {
      const o = (96 * 256 + 128) * 3;
      return [f.data[o]!, f.data[o + 1]!, f.data[o + 2]!];
    };
    expect(centre(frames[24]!)[0]).toBeGreaterThan(200); // red
    expect(centre(frames[25]!)[2]).toBeGreaterThan(200); // blue
    expect(centre(frames[62]!)[2]).toBeGreaterThan(200);
    expect(centre(frames[63]!)[1]).toBeGreaterThan(100); // green
    expect(centre(frames[63]!)[2]).toBeLessThan(50);
  });

  it('streams full resolution BGR and gray on request', async () => {
    const [bgr] = await collect(take(analysisFrames(cuts, { downscale: false, pixFmt: 'bgr24' }), 1));
    expect(bgr).toMatchObject({ width: 320, height: 240 });
    const o = (120 * 320 + 160) * 3;
    expect(bgr!.data[o + 2]).toBeGreaterThan(200); // red sits last in BGR
    const [gray] = await collect(take(analysisFrames(cuts, { pixFmt: 'gray' }), 1));
    expect(gray!.data.length).toBe(256 * 192);
  });

  it('samples one 224×224 frame per second and makes JPEG thumbnails', async () => {
    const samples = await collect(samplingFrames(cuts));
    expect(samples.map((s) => s.ptsSec)).toEqual([0, 1, 2, 3]);
    expect(samples[0]).toMatchObject({ width: 224, height: 224 });
    const thumbs = await collect(thumbnails(cuts, { intervalSec: 0.5, height: 60 }));
    // The first frame at or after each half second: at 25 fps 0.5 s falls between frames.
    expect(thumbs.map((t) => t.ptsSec)).toEqual([0, 0.52, 1, 1.52, 2, 2.52, 3, 3.52]);
    for (const t of thumbs) {
      expect([t.jpeg[0], t.jpeg[1]]).toEqual([0xff, 0xd8]);
      expect([t.jpeg[t.jpeg.length - 2], t.jpeg[t.jpeg.length - 1]]).toEqual([0xff, 0xd9]);
      expect(t).toMatchObject({ width: 80, height: 60 });
    }
  });

  it('makes the same thumbnails alongside the frame stream from one decode', async () => {
    const tiles: JpegFrame[] = [];
    const frames = await collect(
      analysisFrames(cuts, { thumbnails: { intervalSec: 0.5, height: 60, onThumbnail: (t) => tiles.push(t) } }),
    );
    expect(frames).toHaveLength(100);
    const alone = await collect(thumbnails(cuts, { intervalSec: 0.5, height: 60 }));
    expect(tiles.map((t) => [t.index, t.ptsSec, t.width, t.height])).toEqual(alone.map((t) => [t.index, t.ptsSec, t.width, t.height]));
    expect(tiles.map((t) => Buffer.from(t.jpeg).toString('base64'))).toEqual(alone.map((t) => Buffer.from(t.jpeg).toString('base64')));
  });

  it('stops the shared decode when the thumbnail consumer throws', async () => {
    const run = collect(
      analysisFrames(cuts, {
        thumbnails: {
          intervalSec: 1,
          height: 60,
          onThumbnail: (t) => {
            if (t.index === 1) throw new Error('disk full while saving tile');
          },
        },
      }),
    );
    await expect(run).rejects.toThrow('disk full while saving tile');
  });

  it('decodes audio to float PCM at the requested rate and channel count, in whole-frame chunks', async () => {
    const pcm = await decodeAudio(cuts, { sampleRate: 22050, channels: 1 });
    expect(pcm.frames).toBeGreaterThan(22050 * 3.9);
    expect(pcm.frames).toBeLessThan(22050 * 4.1);
    let sum = 0;
    const mid = pcm.samples.subarray(22050, 22050 * 3);
    for (const s of mid) sum += s * s;
    // lavfi's sine has amplitude 1/8: RMS 0.125/√2.
    expect(Math.sqrt(sum / mid.length)).toBeCloseTo(0.125 / Math.SQRT2, 2);
    const chunks = await collect(audioChunks(cuts, { sampleRate: 8000, channels: 6, chunkFrames: 1000 }));
    for (const c of chunks.slice(0, -1)) expect(c.length).toBe(6000);
    expect(chunks.at(-1)!.length % 6).toBe(0);
  });

  it('decodes a whole stream into one buffer exactly as the chunks stream it, also when the probed duration is short of the real one', async () => {
    const o = { sampleRate: 8000, channels: 6 };
    const joined = (await collect(audioChunks(cuts, o))).flatMap((c) => Array.from(c));
    const whole = await decodeAudio(cuts, o);
    expect(whole.frames * 6).toBe(joined.length);
    expect(Array.from(whole.samples)).toEqual(joined);
    // A container whose header understates the length: the buffer grows instead of dropping audio.
    const info = await probe(cuts);
    const grown = await decodeAudio(cuts, { ...o, info: { ...info, durationSec: 0.05 } });
    expect(Array.from(grown.samples)).toEqual(joined);
  });

  it('rejects nonsense audio parameters before spawning anything', async () => {
    await expect(decodeAudio(cuts, { sampleRate: 12.5, channels: 1 })).rejects.toThrow("Sample rate must be a whole number of Hz from 1000 to 384000, got 12.5.");
    await expect(decodeAudio(cuts, { sampleRate: 44100, channels: 0 })).rejects.toThrow(/Channel count/);
  });
});

async function* take<T>(it: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return;
  let i = 0;
  for await (const x of it) {
    yield x;
    if (++i >= n) return;
  }
}

describe('awkward but valid video', () => {
  it('handles variable frame rate: real timestamps, no duplicated or dropped frames', async () => {
    // 2 s at 30 fps, then every third frame (10 fps).
    const vfr = await makeClip('vfr-30-then-10.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=4',
      '-vf', "select='lt(n,60)+not(mod(n,3))'", '-vsync', 'vfr',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast',
    ]);
    const info = await probe(vfr);
    expect(info.video).toMatchObject({ vfr: true, frameCount: 80 });
    expect(info.video!.realFps).toBeCloseTo(30, 3);
    const frames = await collect(analysisFrames(vfr, { info }));
    expect(frames).toHaveLength(80);
    expect(frames[59]!.ptsSec).toBeCloseTo(59 / 30, 6);
    expect(frames[60]!.ptsSec).toBeCloseTo(60 / 30, 6);
    expect(frames[61]!.ptsSec).toBeCloseTo(63 / 30, 6);
    expect(frames[79]!.ptsSec).toBeCloseTo(117 / 30, 6);
  });

  it('applies rotation metadata: frames come out as displayed', async () => {
    // Left half red, right half blue; then a display matrix added without re-encoding.
    const plain = await makeClip('red-left-blue-right.mp4', [
      '-f', 'lavfi', '-i', 'color=red:s=160x240:r=25:d=1,format=yuv420p[a];color=blue:s=160x240:r=25:d=1,format=yuv420p[b];[a][b]hstack',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast',
    ]);
    const rotated = await makeClip('rotated.mp4', ['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90']);
    const info = await probe(rotated);
    // This ffmpeg build stores rotate=90 as a matrix that players (and ffmpeg) show turned 90°
    // anticlockwise, i.e. 270° clockwise; the frames below prove which way it really turns.
    expect(info.video).toMatchObject({ width: 320, height: 240, rotation: 270, displayWidth: 240, displayHeight: 320 });
    const tiles: JpegFrame[] = [];
    const frames = await collect(analysisFrames(rotated, { info, thumbnails: { intervalSec: 0.5, height: 64, onThumbnail: (t) => tiles.push(t) } }));
    expect(frames).toHaveLength(25);
    // Tiles come from the same rotated picture: portrait.
    expect(tiles.map((t) => [t.width, t.height])).toEqual([[48, 64], [48, 64]]);
    expect(frames[0]).toMatchObject({ width: 192, height: 256 });
    const [full] = await collect(take(analysisFrames(rotated, { info, downscale: false }), 1));
    expect(full).toMatchObject({ width: 240, height: 320 });
    const px = (x: number, y: number) => [...full!.data.subarray((y * 240 + x) * 3, (y * 240 + x) * 3 + 3)];
    // Turned 270° clockwise, the right (blue) half is on top.
    expect(px(120, 20)[2]).toBeGreaterThan(200);
    expect(px(120, 300)[0]).toBeGreaterThan(200);
  });

  it('handles odd sizes such as 853×479', async () => {
    const odd = await makeClip('odd-853x479.mkv', ['-f', 'lavfi', '-i', 'testsrc2=s=854x480:r=24:d=1', '-vf', 'scale=853:479', '-c:v', 'ffv1']);
    const info = await probe(odd);
    expect(info.container).toBe('matroska');
    expect(info.video).toMatchObject({ width: 853, height: 479, frameCount: 24 });
    const frames = await collect(analysisFrames(odd, { info }));
    expect(frames).toHaveLength(24);
    expect(frames[0]).toMatchObject({ width: 256, height: 144 });
    const samples = await collect(samplingFrames(odd, { info }));
    expect(samples).toHaveLength(1);
    const thumbs = await collect(thumbnails(odd, { info, intervalSec: 1, height: 45 }));
    expect(thumbs[0]!.width % 2).toBe(0);
  });

  it('reads a clip without audio, and says so when asked for audio', async () => {
    const silent = await cutsClip('no-audio.mp4', { cutTimes: [0.5], durationSec: 1 });
    const info = await probe(silent);
    expect(info.audio).toBeNull();
    await expect(decodeAudio(silent, { sampleRate: 44100, channels: 1 })).rejects.toThrow(/has no audio stream/);
  });
});

describe('bad input gets a message a user can act on', () => {
  let bad: Awaited<ReturnType<typeof badInputs>>;
  beforeAll(async () => {
    bad = await badInputs();
  });

  const cases: Array<[string, (b: typeof bad) => string, RegExp, string]> = [
    ['a missing path', (b) => b.missing, /File not found: .*does-not-exist\.mp4/, 'NOT_FOUND'],
    ['a directory', (b) => b.dir, /is a folder, not a media file/, 'NOT_A_FILE'],
    ['an empty file', (b) => b.empty, /is empty \(0 bytes\)/, 'EMPTY_FILE'],
    ['a text file named .mp4', (b) => b.text, /is not a video or audio file that can be read \(.*Invalid data/, 'NOT_MEDIA'],
    ['a truncated MP4', (b) => b.truncated, /is incomplete: its MP4 index \(moov atom\) is missing/, 'TRUNCATED'],
  ];
  it.each(cases)('probe refuses %s', async (_name, file, message, code) => {
    const err = await probe(file(bad)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).message).toMatch(message);
    expect((err as MediaError).code).toBe(code);
  });

  it.each(cases)('the frame stream refuses %s the same way', async (_name, file, message) => {
    await expect(collect(analysisFrames(file(bad)))).rejects.toThrow(message);
  });

  it('an audio-only file probes fine but has no frames to stream', async () => {
    const info = await probe(bad.audioOnly);
    expect(info.video).toBeNull();
    expect(info.audio).toMatchObject({ sampleRate: 44100, channels: 1 });
    await expect(collect(analysisFrames(bad.audioOnly))).rejects.toThrow(/has no video stream \(it looks like an audio-only file\)/);
    const pcm = await decodeAudio(bad.audioOnly, { sampleRate: 44100, channels: 1 });
    expect(pcm.frames).toBeGreaterThan(44100 * 1.9);
  });

  it('a path with spaces and non-ASCII characters works', async () => {
    const info = await probe(bad.unicode);
    expect(info.video!.frameCount).toBe(720);
    const frames = await collect(take(analysisFrames(bad.unicode, { info }), 3));
    expect(frames).toHaveLength(3);
  });

  it('an empty path is refused', async () => {
    await expect(probe('')).rejects.toThrow(/No file given/);
  });
});

describe('cancellation and progress', () => {
  afterEach(() => {
    expect(liveMediaProcessCount()).toBe(0);
  });

  it('an aborted signal rejects at once and starts nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(probe(testVideo, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(collect(analysisFrames(testVideo, { signal: ac.signal }))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('aborting mid-stream stops ffmpeg and rejects with AbortError', async () => {
    const ac = new AbortController();
    let n = 0;
    const run = (async () => {
      for await (const _ of analysisFrames(testVideo, { signal: ac.signal, downscale: false })) {
        if (++n === 10) ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(n).toBeLessThan(720);
    expect(liveMediaProcessCount()).toBe(0);
  });

  it('leaving the loop early kills ffmpeg', async () => {
    for await (const f of analysisFrames(testVideo)) {
      if (f.index === 5) break;
    }
    expect(liveMediaProcessCount()).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(childMediaProcesses()).toEqual([]);
  });

  it('aborting audio decode mid-way stops it too', async () => {
    const long = await makeClip('tone-60s.wav', ['-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=44100:duration=60']);
    const ac = new AbortController();
    const run = (async () => {
      for await (const _ of audioChunks(long, { sampleRate: 44100, channels: 1, chunkFrames: 4096, signal: ac.signal })) ac.abort();
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps memory bounded when the consumer is slower than the decoder', async () => {
    // Full-resolution testvideo is 720 × 2.7 MB ≈ 2 GB of frames: only back-pressure keeps it out of memory.
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let n = 0;
    for await (const f of analysisFrames(testVideo, { downscale: false })) {
      if (++n % 10 === 0) await new Promise((r) => setTimeout(r, 100)); // let ffmpeg run ahead if it could
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
      if (f.index === 80) break;
    }
    expect(n).toBe(81);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it('reports monotonic progress that reaches the end', async () => {
    const fractions: number[] = [];
    let frames = 0;
    for await (const _ of analysisFrames(testVideo, { onProgress: (p) => fractions.push(p.fraction ?? -1) })) frames++;
    expect(frames).toBe(720);
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
  });
});

describe('binary resolution', () => {
  // The suite may run under V2M_FFMPEG / V2M_FFPROBE (another ffmpeg): these tests set their own
  // and give the run's back afterwards.
  const runOverrides = { V2M_FFMPEG: process.env.V2M_FFMPEG, V2M_FFPROBE: process.env.V2M_FFPROBE };
  afterEach(() => {
    for (const [k, v] of Object.entries(runOverrides)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    clearBinaryCache();
  });

  it('uses the npm packages\' binaries by default: ffmpeg-static where it downloaded, else @ffmpeg-installer', () => {
    delete process.env.V2M_FFMPEG;
    delete process.env.V2M_FFPROBE;
    expect(['ffmpeg-static', 'bundled']).toContain(resolveBinary('ffmpeg').source);
    expect(resolveBinary('ffprobe').source).toBe('bundled');
  });

  it('honours a working override and refuses a broken one by name', async () => {
    process.env.V2M_FFPROBE = '/nowhere/ffprobe';
    expect(() => resolveBinary('ffprobe')).toThrow(/V2M_FFPROBE is set to "\/nowhere\/ffprobe", but no file exists there/);
    await expect(probe(testVideo)).rejects.toThrow(/V2M_FFPROBE/);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-bin-'));
    const notExec = path.join(dir, 'ffprobe');
    writeFileSync(notExec, 'not a program');
    chmodSync(notExec, 0o644);
    process.env.V2M_FFPROBE = notExec;
    expect(() => resolveBinary('ffprobe')).toThrow(/not an executable file/);

    delete process.env.V2M_FFPROBE;
    const real = resolveBinaryPathWithoutOverride();
    process.env.V2M_FFPROBE = real;
    expect(resolveBinary('ffprobe')).toEqual({ tool: 'ffprobe', path: real, source: 'override', origin: 'V2M_FFPROBE' });
    expect((await probe(testVideo)).video!.frameCount).toBe(720);
    rmSync(dir, { recursive: true, force: true });
  });
});

function resolveBinaryPathWithoutOverride(): string {
  const saved = process.env.V2M_FFPROBE;
  delete process.env.V2M_FFPROBE;
  clearBinaryCache();
  const p = resolveBinary('ffprobe').path;
  if (saved !== undefined) process.env.V2M_FFPROBE = saved;
  return p;
}
