import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo, type AnalysisProgress } from '../../electron/core/video/index.ts';
import { liveAnalysisWorkerCount } from '../../electron/core/video/frame-sink.ts';
import { clipDir, cutsClip, makeClip } from '../helpers/clips.ts';
import { sharedData, testVideo } from '../helpers/paths.ts';
import { resolveBinary } from '../../electron/core/media/index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-analyze-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** First `fraction` of a file's bytes, written next to the generated clips. */
function truncatedCopy(src: string, name: string, fraction: number): string {
  const bytes = readFileSync(src);
  const out = path.join(tmp, name);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return out;
}

describe('analyzeVideo on PySceneDetect\'s testvideo.mp4', () => {
  it('finds the ContentDetector cuts 30, 180, 394 with times from the frames\' timestamps, and everything else', async () => {
    const stages = new Set<string>();
    let last: AnalysisProgress | undefined;
    const a = await analyzeVideo(testVideo, {
      onProgress: (p) => {
        stages.add(p.stage);
        expect(p.fraction).toBeGreaterThanOrEqual(0);
        expect(p.fraction).toBeLessThanOrEqual(1);
        last = p;
      },
    });
    expect(a.sceneCuts.map((c) => c.frame)).toEqual([30, 180, 394]);
    // 29.97 fps = 30000/1001: frame n starts at n·1001/30000 s.
    for (const c of a.sceneCuts) expect(c.timeSec).toBeCloseTo((c.frame * 1001) / 30000, 4);
    expect(a.frameCount).toBe(720);
    expect(a.fps).toBeCloseTo(30000 / 1001, 6);
    expect(a.seconds).toBe(24);
    expect(a.complete).toBe(true);
    expect(a.warnings).toEqual([]);
    expect(Array.from(a.sceneVector).flatMap((v, s) => (v ? [s] : []))).toEqual([1, 6, 13]);
    // The one-pass fan-out feeds the detector the same frames PySceneDetect saw.
    const ref = (JSON.parse(readFileSync(path.join(sharedData, 'reference-fixtures/testvideo_content_val.json'), 'utf8')) as { content_val: number[] }).content_val;
    expect(a.contentValues.length).toBe(ref.length);
    let sum = 0, max = 0;
    ref.forEach((r, i) => {
      const d = Math.abs(a.contentValues[i]! - r);
      sum += d;
      max = Math.max(max, d);
    });
    console.log(`[analyze] testvideo.mp4 content_val (one-pass analysis) vs PySceneDetect 0.6.6: mean |Δ| = ${sum / ref.length}, max |Δ| = ${max}`);
    expect(sum / ref.length).toBeLessThan(0.01);
    expect(max).toBeLessThan(0.1);
    if (resolveBinary('ffmpeg').source === 'bundled') expect(max).toBe(0);

    // Visual rhythm: one value per frame in 0..1; the two hard cuts are beats of full strength.
    expect(a.visualRhythm.curve.length).toBe(720);
    expect(Math.max(...a.visualRhythm.curve)).toBe(1);
    expect(Math.min(...a.visualRhythm.curve)).toBeGreaterThanOrEqual(0);
    for (const cut of [1.001, 6.006]) {
      const beat = a.visualBeats.find((b) => Math.abs(b.timeSec - cut) < 0.05);
      expect(beat, `a visual beat at the cut ${cut} s`).toBeDefined();
      expect(beat!.strength).toBe(1);
    }
    expect(a.visualBeatVector.length).toBe(24);
    expect(a.visualBeatVector[1]).toBe(1);
    for (const b of a.visualBeats) expect(a.visualBeatVector[Math.floor(b.timeSec)]).toBeGreaterThanOrEqual(Math.fround(b.strength));

    // Colour: one 3072-d histogram per second, each summing to 1.
    const h = a.colourHistograms!;
    expect(h.dim).toBe(3072);
    expect(h.times.length).toBe(24);
    expect(h.data.length).toBe(24 * 3072);
    for (let r = 0; r < 24; r++) expect(h.data.subarray(r * 3072, (r + 1) * 3072).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 4);
    expect(h.recipe).toMatch(/hypothesis/);

    // Mood per second and per scene (4 scenes between the 3 cuts).
    expect(a.mood.perSecond.valence.length).toBe(24);
    expect(a.mood.perScene.map((s) => s.startSec)).toEqual([0, ...a.sceneCuts.map((c) => c.timeSec)]);
    for (const v of [a.mood.overall.valence, a.mood.overall.arousal]) expect(Math.abs(v)).toBeLessThanOrEqual(1);

    // Filmstrip: a JPEG per second at 72 px high; no audio, so no waveform.
    expect(a.filmstrip!.tiles.length).toBe(24);
    expect(a.filmstrip!.height).toBe(72);
    for (const t of a.filmstrip!.tiles) expect([t.jpeg[0], t.jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(a.waveform).toBeNull();

    expect([...stages]).toEqual(['probe', 'frames', 'summary']);
    expect(liveAnalysisWorkerCount()).toBe(0);
    expect(last).toEqual({ stage: 'summary', fraction: 1 });
  });

  it('AdaptiveDetector finds 30, 180, 394, 691 (no filmstrip, no histograms, no worker)', async () => {
    const a = await analyzeVideo(testVideo, { detector: 'adaptive', filmstrip: false, histograms: false, worker: false });
    expect(a.sceneCuts.map((c) => c.frame)).toEqual([30, 180, 394, 691]);
    expect(a.colourHistograms).toBeNull();
    expect(a.filmstrip).toBeNull();
    // Mood still has colour: it comes from the same 1-fps samples.
    expect(a.mood.perSecond.brightness.some((b) => b > 0)).toBe(true);
  });

  it('cancelling mid-way rejects with an AbortError and leaves no ffmpeg and no worker running', async () => {
    const ac = new AbortController();
    const p = analyzeVideo(testVideo, {
      signal: ac.signal,
      onProgress: (q) => {
        if (q.stage === 'frames' && q.fraction > 0.1) ac.abort(new Error('user cancelled'));
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: expect.stringMatching(/cancelled/) });
    expect(liveAnalysisWorkerCount()).toBe(0);
  });
});

describe('analyzeVideo on generated clips', () => {
  it('hard cuts with audio: cuts, beats at the cuts, waveform levels, filmstrip', async () => {
    const clip = await cutsClip('analyze-cuts-audio.mp4', { cutTimes: [1.5, 3], durationSec: 4.5, audio: true });
    const a = await analyzeVideo(clip, { filmstrip: { intervalSec: 2, height: 48 } });
    // Each colour lasts a whole number of 25 fps frames, so a cut lands within a frame or two.
    const cutTimes = a.sceneCuts.map((c) => c.timeSec);
    expect(cutTimes).toHaveLength(2);
    expect(cutTimes[0]).toBeCloseTo(1.5, 1);
    expect(cutTimes[1]).toBeCloseTo(3, 1);
    expect(a.sceneCuts.map((c) => c.frame)).toEqual(cutTimes.map((t) => Math.round(t * 25)));
    expect(Array.from(a.sceneVector)).toEqual([0, 1, 0, 1, 0]);
    // Solid colours: the picture only changes at the cuts, so the beats are exactly there.
    expect(a.visualBeats.map((b) => b.timeSec)).toEqual(cutTimes);
    expect(Array.from(a.visualBeatVector)).toEqual([0, 1, 0, 1, 0]);
    expect(a.filmstrip!.tiles.map((t) => t.timeSec)).toEqual([0, 2, 4]);
    expect(a.filmstrip!.height).toBe(48);
    const w = a.waveform!;
    expect(w.sampleRate).toBe(22050);
    expect(w.frames / 22050).toBeCloseTo(4.5, 1);
    expect(w.levels.map((l) => l.samplesPerBucket)).toEqual([256, 1024, 4096, 16384]);
    expect(w.levels[0]!.min.length).toBe(Math.ceil(w.frames / 256));
    // lavfi's sine has amplitude 1/8: peaks near ±0.125 (AAC adds a little ripple).
    expect(Math.max(...w.levels[3]!.max)).toBeCloseTo(0.125, 1);
    expect(Math.min(...w.levels[3]!.min)).toBeCloseTo(-0.125, 1);
    expect(Math.max(...w.levels[3]!.max)).toBeLessThan(0.15);
    // Scene colours: red, blue, green.
    expect(a.mood.perScene.map((s) => s.warmth > 0)).toEqual([true, false, false]);
  });

  it('variable frame rate: times come from each frame\'s own timestamp', async () => {
    // 1 s of red at 25 fps, then 1.5 s of blue at 10 fps, kept as is (-vsync vfr). No edit list:
    // ffmpeg 5.x encodes on concat's 1/1000000 time base, cannot tell the last frame's duration,
    // writes it as 0 and ends the edit list at its start, so every demuxer drops it (39 frames).
    const clip = await makeClip('analyze-vfr-no-editlist.mp4', [
      '-f', 'lavfi', '-i', 'color=c=red:s=320x240:r=25:d=1', '-f', 'lavfi', '-i', 'color=c=blue:s=320x240:r=10:d=1.5',
      '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-vsync', 'vfr',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-use_editlist', '0',
    ]);
    const a = await analyzeVideo(clip, { filmstrip: false });
    expect(a.source.vfr).toBe(true);
    expect(a.frameCount).toBe(40);
    expect(a.sceneCuts).toEqual([{ frame: 25, timeSec: 1, score: expect.any(Number) }]);
    expect(a.visualBeats.map((b) => b.timeSec)).toEqual([1]);
    const t = a.visualRhythm.frameTimes;
    expect(t[1]! - t[0]!).toBeCloseTo(0.04, 6);
    // The 10 fps part: 0.1 s steps (ffmpeg 4.x rounds them onto the first input's 1/25 s grid: 0.08/0.12 s).
    expect((t[39]! - t[25]!) / 14).toBeCloseTo(0.1, 2);
    for (let i = 26; i < 40; i++) expect(t[i]! - t[i - 1]!).toBeGreaterThan(0.07);
    expect(Array.from(a.sceneVector)).toEqual([0, 1, 0]);
  });

  it('a truncated MP4 (faststart, first half) gives what decoded and names where it stopped', async () => {
    const full = await makeClip('analyze-faststart-6s.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=6', '-f', 'lavfi', '-i', 'sine=f=440:d=6',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart',
    ]);
    const cut = truncatedCopy(full, 'half.mp4', 0.5);
    const warned: string[] = [];
    const a = await analyzeVideo(cut, { onWarning: (m) => warned.push(m), filmstrip: false });
    expect(a.complete).toBe(false);
    expect(a.frameCount).toBeGreaterThan(25);
    expect(a.frameCount).toBeLessThan(150);
    const stop = a.warnings.find((w) => w.startsWith('Decoding stopped at'));
    expect(stop).toMatch(/^Decoding stopped at \d+\.\d\d s \(\d+ frames\) although the file declares 6\.00 s/);
    expect(stop).toContain(a.visualRhythm.frameTimes[a.frameCount - 1]!.toFixed(2));
    expect(warned).toEqual(a.warnings);
    expect(a.durationSec).toBeLessThan(4.5);
    expect(a.seconds).toBe(Math.floor(a.visualRhythm.frameTimes[a.frameCount - 1]!) + 1);
  });

  it('an MP4 whose frame data is destroyed (index intact) is a clear error, not an empty analysis', async () => {
    const full = await makeClip('analyze-faststart-6s.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=6', '-f', 'lavfi', '-i', 'sine=f=440:d=6',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart',
    ]);
    const bytes = readFileSync(full);
    const mdat = bytes.indexOf('mdat');
    expect(mdat).toBeGreaterThan(0);
    bytes.fill(0, mdat + 4);
    const zeroed = path.join(tmp, 'zeroed.mp4');
    writeFileSync(zeroed, bytes);
    await expect(analyzeVideo(zeroed)).rejects.toThrow(/No frame of .*zeroed\.mp4 could be decoded: the video is damaged/);
    expect(liveAnalysisWorkerCount()).toBe(0);
  });

  it('a truncated MP4 without faststart (no index) is a clear TRUNCATED error', async () => {
    const full = await makeClip('analyze-plain-3s.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']);
    const cut = truncatedCopy(full, 'no-moov.mp4', 0.5);
    await expect(analyzeVideo(cut)).rejects.toMatchObject({ code: 'TRUNCATED', message: expect.stringMatching(/incomplete.*moov/) });
  });
});

describe('analyzeVideo on bad input', () => {
  it('missing file, folder, empty file, not media, audio only', async () => {
    await expect(analyzeVideo(path.join(tmp, 'nope.mp4'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const dir = path.join(tmp, 'folder.mp4');
    mkdirSync(dir, { recursive: true });
    await expect(analyzeVideo(dir)).rejects.toMatchObject({ code: 'NOT_A_FILE' });
    const empty = path.join(tmp, 'empty.mp4');
    writeFileSync(empty, '');
    await expect(analyzeVideo(empty)).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    const text = path.join(tmp, 'notes.mp4');
    writeFileSync(text, 'this is not a video at all\n'.repeat(100));
    await expect(analyzeVideo(text)).rejects.toMatchObject({ code: 'NOT_MEDIA' });
    const audio = await makeClip('analyze-audio-only.m4a', ['-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:a', 'aac']);
    await expect(analyzeVideo(audio)).rejects.toMatchObject({ code: 'NO_VIDEO', message: expect.stringMatching(/no video stream/) });
    expect(statSync(clipDir).isDirectory()).toBe(true);
  });

  it('an unknown detector name is refused before anything runs', async () => {
    await expect(analyzeVideo(testVideo, { detector: 'magic' as never })).rejects.toThrow(/Unknown scene detector "magic"/);
  });
});
