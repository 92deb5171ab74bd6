import { afterEach, describe, expect, it } from 'vitest';
import { FrameAnalyser, type FrameAnalyserConfig } from '../../../electron/core/video/frame-analyser.ts';
import { inlineFrameSink, liveAnalysisWorkerCount, maxFramesInFlight, workerFrameSink, type FrameSink } from '../../../electron/core/video/frame-sink.ts';
import { gatherGrid, pysceneGrid } from '../../../electron/core/video/scene/index.ts';

const W = 320, H = 180, FPS = 10;

/** BGR frame: a solid colour with a small bright square at column `x` (something that moves). */
function frame(colour: [number, number, number], x: number): Uint8Array {
  const f = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) f.set(colour, 3 * i);
  for (let y = 60; y < 100; y++) for (let c = x; c < x + 40; c++) f.set([255, 255, 255], (y * W + c) * 3);
  return f;
}

const grid = pysceneGrid(W, H)!;
/** The pixels ffmpeg's remap delivers of a whole frame. */
const gathered = (f: Uint8Array) => gatherGrid(f, W, 3, grid);

/** The centre square, as the sample side pipe delivers it. */
function centreSquare(f: Uint8Array): Uint8Array {
  const out = new Uint8Array(H * H * 3);
  const x0 = (W - H) / 2;
  for (let y = 0; y < H; y++) out.set(f.subarray((y * W + x0) * 3, (y * W + x0 + H) * 3), y * H * 3);
  return out;
}

/**
 * 4 s at 10 fps: dark blue, then a hard cut to orange at frame 20; the square moves each frame.
 * `sample`: the first frame of each second, which the stream also delivers as a centre square.
 */
function* clip(): Generator<{ index: number; t: number; data: Uint8Array; whole: Uint8Array; sample: boolean }> {
  for (let i = 0; i < 40; i++) {
    const whole = frame(i < 20 ? [120, 20, 10] : [0, 140, 250], 10 + 5 * i);
    yield { index: i, t: i / FPS, data: gathered(whole), whole, sample: i % FPS === 0 };
  }
}

const config: FrameAnalyserConfig = { width: W, height: H, frameCountHint: 40, detector: 'content', histograms: true };

describe('FrameAnalyser', () => {
  it('downscales once and feeds the detector, the luma differences and the 1-fps colour samples', () => {
    const a = new FrameAnalyser(config);
    for (const f of clip()) {
      a.push(f.index, f.t, f.data);
      if (f.sample) a.pushSample(f.t, centreSquare(f.whole), H);
    }
    const r = a.finish();
    expect(r.frameCount).toBe(40);
    expect([r.analysisWidth, r.analysisHeight]).toEqual([256, 144]);
    expect(r.cuts.map((c) => c.frame)).toEqual([20]);
    expect(r.cuts[0]!.timeSec).toBe(2);
    expect(r.contentValues.length).toBe(40);
    expect(r.lumaDiffs[0]).toBe(0);
    // The cut is by far the largest difference; moving the square alone changes a little.
    const diffs = Array.from(r.lumaDiffs);
    expect(diffs.indexOf(Math.max(...diffs))).toBe(20);
    expect(diffs[5]).toBeGreaterThan(0);
    expect(Array.from(r.sampleTimes)).toEqual([0, 1, 2, 3]);
    expect(r.histograms.length).toBe(4 * 3072);
    expect(r.sampleColours[0]!.warmth).toBeLessThan(0); // blue
    expect(r.sampleColours[2]!.warmth).toBeGreaterThan(0); // orange
  });

  it('keeps the samples it is given, in order, and no histograms when they are off', () => {
    const a = new FrameAnalyser({ ...config, histograms: false });
    const times = [0, 1.2, 3.05];
    times.forEach((t, i) => {
      a.push(i, t, gathered(frame([50, 50, 50], 0)));
      a.pushSample(t, centreSquare(frame([50, 50, 50], 0)), H);
    });
    const r = a.finish();
    expect(Array.from(r.sampleTimes)).toEqual(times);
    expect(r.histograms.length).toBe(0);
  });

  it('rejects a frame of the wrong size with the sizes in the message', () => {
    const a = new FrameAnalyser(config);
    // 320 → 256 reads every column and row, so here the grid is the whole frame.
    expect(() => a.push(0, 0, new Uint8Array(10))).toThrow(/frame 0 has 10 bytes, expected 172800 \(the downscale's pixels of a 320×180 BGR frame\)/);
    const hd = new FrameAnalyser({ ...config, width: 1280, height: 720 });
    expect(() => hd.push(0, 0, new Uint8Array(1280 * 720 * 3))).toThrow(/expected 110592 \(the downscale's pixels of a 1280×720/);
    expect(() => new FrameAnalyser({ ...config, width: 0 })).toThrow(/frame size must be positive/);
  });
});

describe('frame sinks', () => {
  let sink: FrameSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
    expect(liveAnalysisWorkerCount()).toBe(0);
  });

  it('the worker gives exactly what the calling thread gives, and the frames are transferred', async () => {
    const inline = inlineFrameSink(config);
    for (const f of clip()) {
      await inline.push(f.index, f.t, f.data);
      if (f.sample) inline.pushSample(f.t, centreSquare(f.whole), H);
    }
    const expected = await inline.finish();

    sink = await workerFrameSink(config, 2);
    let detached = 0;
    let samplesDetached = 0;
    for (const f of clip()) {
      await sink.push(f.index, f.t, f.data);
      if (f.data.byteLength === 0) detached++; // moved to the worker, not copied
      if (f.sample) {
        const sq = centreSquare(f.whole);
        sink.pushSample(f.t, sq, H);
        if (sq.byteLength === 0) samplesDetached++;
      }
    }
    const got = await sink.finish();
    expect(detached).toBe(40);
    expect(samplesDetached).toBe(4);
    expect(Array.from(got.sampleTimes)).toEqual([0, 1, 2, 3]);
    expect(got.cuts).toEqual(expected.cuts);
    expect(Array.from(got.lumaDiffs)).toEqual(Array.from(expected.lumaDiffs));
    expect(Array.from(got.contentValues)).toEqual(Array.from(expected.contentValues));
    expect(Array.from(got.histograms)).toEqual(Array.from(expected.histograms));
    expect(got.sampleColours).toEqual(expected.sampleColours);
  });

  it('an error inside the worker reaches the caller as a clear Error', async () => {
    sink = await workerFrameSink(config, 1);
    await expect(sink.push(0, 0, new Uint8Array(12))).rejects.toThrow(/Video analysis failed: FrameAnalyser: frame 0 has 12 bytes/);
    await expect(sink.finish()).rejects.toThrow(/Video analysis failed/);
  });

  it('queues up to 64 MB of frames for the worker, between 2 and 32 frames', () => {
    expect(maxFramesInFlight(1280, 720)).toBe(24); // 2.76 MB a frame
    expect(maxFramesInFlight(1920, 1080)).toBe(10);
    expect(maxFramesInFlight(3840, 2160)).toBe(2);
    expect(maxFramesInFlight(320, 240)).toBe(32);
  });

  it('close() stops the worker and later pushes fail', async () => {
    sink = await workerFrameSink(config);
    await sink.close();
    await expect(sink.push(0, 0, gathered(frame([1, 2, 3], 0)))).rejects.toThrow(/stopped|closed/);
    expect(() => sink!.pushSample(0, centreSquare(frame([1, 2, 3], 0)), H)).toThrow(/stopped|closed/);
  });
});
