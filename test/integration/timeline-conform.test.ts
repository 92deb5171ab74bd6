import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReference, conformSegments, mainTrackMedia, markerTimes, relinkByName } from '../../electron/core/api/timeline-import.ts';
import { conformArgs, conformTimeline, probe, runMedia, timecodeOffsetSec } from '../../electron/core/media/index.ts';
import { readTimelineFile, type EditorTimeline } from '../../electron/core/timeline/index.ts';
import { sharedData } from '../helpers/paths.ts';
import { cutsClip } from '../helpers/clips.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// A 4-second, 25 fps sequence as an editor would hand it over: A (with sound, source timecode
// 01:00:00:00) from its 10th frame (in-point in source timecode, as EDLs and FCPXML give it), a 10-frame gap, then B (silent); the media paths point at a drive that is not mounted here.
function sequence(): EditorTimeline {
  const rate = { num: 25, den: 1 };
  return {
    name: 'Round trip', rate, dropFrame: false, startFrame: 90000, durationFrames: 100,
    videoTracks: [{
      name: 'V1', kind: 'video', clips: [
        { name: 'A', mediaId: 'r1', mediaPath: '/Volumes/Shoot/Day 1/shot-a.mp4', sourceIn: 90010, sourceOut: 90060, recordIn: 0, recordOut: 50, enabled: true },
        { name: 'B', mediaId: 'r2', mediaPath: '/Volumes/Shoot/Day 1/SHOT-B.mp4', sourceIn: 0, sourceOut: 40, recordIn: 60, recordOut: 100, enabled: true },
      ],
    }],
    audioTracks: [],
    markers: [{ frame: 75, durationFrames: 0, name: 'Hit', note: '', color: 'red', kind: 'user' }],
    media: [
      { id: 'r1', name: 'shot-a', path: '/Volumes/Shoot/Day 1/shot-a.mp4', url: 'file:///Volumes/Shoot/Day%201/shot-a.mp4', durationFrames: 100, rate },
      { id: 'r2', name: 'SHOT-B', path: '/Volumes/Shoot/Day 1/SHOT-B.mp4', url: null, durationFrames: 50, rate },
    ],
  };
}

describe('timeline import: offline media, relink, conform', () => {
  let tmp: ReturnType<typeof tempDir>;
  let mediaDir: string;

  beforeAll(async () => {
    tmp = tempDir('v2m-conform-');
    mediaDir = path.join(tmp.dir, 'media', 'day1');
    mkdirSync(mediaDir, { recursive: true });
    // Named as the timeline references them (one with a different case, as on a case-insensitive disk).
    const a = await cutsClip('conform-a-red-blue.mp4', { cutTimes: [2], durationSec: 4, audio: true });
    await runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', a, '-c', 'copy', '-timecode', '01:00:00:00', path.join(mediaDir, 'shot-a.mp4')]);
    copyFileSync(await cutsClip('conform-b-red.mp4', { cutTimes: [], durationSec: 2 }), path.join(mediaDir, 'shot-b.mp4'));
  });
  afterAll(() => tmp.cleanup());

  it('lists the offline media and refuses to conform around them', () => {
    const t = sequence();
    expect(mainTrackMedia(t)).toEqual([
      { id: 'r1', name: 'shot-a', path: '/Volumes/Shoot/Day 1/shot-a.mp4', found: false },
      { id: 'r2', name: 'SHOT-B', path: '/Volumes/Shoot/Day 1/SHOT-B.mp4', found: false },
    ]);
    expect(() => conformSegments(t)).toThrow(/offline: A \(\/Volumes\/Shoot\/Day 1\/shot-a\.mp4\), B .*Relink them/);
  });

  it('relinks by file name under a folder, and says when the folder is wrong', () => {
    const { timeline, relinked } = relinkByName(sequence(), path.join(tmp.dir, 'media'));
    expect(relinked.map((r) => r.name)).toEqual(['shot-a', 'SHOT-B']);
    expect(mainTrackMedia(timeline).every((m) => m.found)).toBe(true);
    expect(timeline.videoTracks[0]!.clips[1]!.mediaPath).toBe(path.join(mediaDir, 'shot-b.mp4'));
    expect(() => relinkByName(sequence(), path.join(tmp.dir, 'nope'))).toThrow(/does not exist/);
  });

  it('finds the clips of an EDL by their clip names, each its own file, though the events share one reel', async () => {
    const { timeline } = await readTimelineFile(path.join(sharedData, 'timelines/25fps.edl'));
    expect(mainTrackMedia(timeline).map((m) => [m.name, m.found])).toEqual(['sq001_s001', 'sq001_s002', 'sq001_s003', 'sq001_s004'].map((n) => [n, false]));
    const dir = path.join(tmp.dir, 'edl-media');
    mkdirSync(dir);
    for (let i = 1; i <= 4; i++) writeFileSync(path.join(dir, `SQ001_S00${i}.MOV`), 'x');
    const { timeline: linked } = relinkByName(timeline, dir);
    expect(mainTrackMedia(linked).map((m) => [path.basename(m.path ?? ''), m.found])).toEqual([1, 2, 3, 4].map((i) => [`SQ001_S00${i}.MOV`, true]));
  });

  it('segments the main track with its gap and tail, each from its source in-point', () => {
    const { timeline } = relinkByName(sequence(), path.join(tmp.dir, 'media'));
    const { segments } = conformSegments(timeline);
    expect(segments.map((s) => [s.path && path.basename(s.path), s.sourceStartSec, s.frames])).toEqual([
      ['shot-a.mp4', 3600.4, 50], [null, 0, 10], ['shot-b.mp4', 0, 40],
    ]);
    expect(markerTimes(timeline)).toEqual([{ timeSec: 3, name: 'Hit' }]);
    // When the reader knows the media's start timecode, in-points count from it.
    const known = { ...timeline, media: timeline.media.map((m) => (m.id === 'r1' ? { ...m, startFrame: 90000 } : m)) };
    expect(conformSegments(known).segments[0]!.sourceStartSec).toBeCloseTo(0.4, 9);
  });

  it('builds the filter graph with exact frame and sample counts', () => {
    const args = conformArgs({
      segments: [{ path: '/a.mp4', sourceStartSec: 0.4, frames: 50 }, { path: null, sourceStartSec: 0, frames: 10 }],
      sources: new Map([['/a.mp4', { hasVideo: true, hasAudio: false }]]),
      rate: { num: 30000, den: 1001 }, width: 640, height: 360, out: '/o.mp4', progress: false,
    });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('fps=30000/1001');
    expect(graph).toContain('trim=end_frame=50');
    // 10 frames at 29.97 = 0.333667 s = 16016 samples at 48 kHz.
    expect(graph).toContain('atrim=end_sample=16016');
    expect(graph).toMatch(/concat=n=2:v=1:a=1\[v\]\[a\]$/);
    expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 2)).toEqual(['-ss', '0.400000']);
  });

  it('reads the source timecode, and refuses an in-point past the end of an untimecoded file', async () => {
    expect((await probe(path.join(mediaDir, 'shot-a.mp4'))).video!.timecode).toBe('01:00:00:00');
    expect(timecodeOffsetSec(await probe(path.join(mediaDir, 'shot-a.mp4')))).toBe(3600);
    const b = path.join(mediaDir, 'shot-b.mp4');
    await expect(conformTimeline({ segments: [{ path: b, sourceStartSec: 3600, frames: 10 }], rate: { num: 25, den: 1 }, out: path.join(tmp.dir, 'x.mp4') }))
      .rejects.toThrow(/starts 3600\.000 s into shot-b\.mp4, which lasts only 2\.000 s and carries no start timecode/);
  });

  it('conforms the sequence to a picture of exactly its length, with sound', async () => {
    const { timeline } = relinkByName(sequence(), path.join(tmp.dir, 'media'));
    const out = path.join(tmp.dir, 'conform.mp4');
    const fractions: number[] = [];
    const r = await conformTimeline({ segments: conformSegments(timeline).segments, rate: timeline.rate, out, onProgress: (p) => fractions.push(p.fraction ?? 0) });
    expect(r).toMatchObject({ path: out, durationSec: 4, width: 480, height: 360 });
    const info = await probe(out);
    expect(info.video!.frameCount).toBe(100);
    expect(info.video!.fps).toBeCloseTo(25, 6);
    expect(info.audioStreams.length).toBe(1);
    expect(info.durationSec).toBeCloseTo(4, 1);
    // Every edit on its frame: A's own cut (at 2 s of A, in from 0.4 s) at frame 40, the gap black, B (all red) after it.
    const px = await runMedia('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', out,
      '-vf', "select='eq(n\\,39)+eq(n\\,40)+eq(n\\,49)+eq(n\\,50)+eq(n\\,59)+eq(n\\,60)',scale=1:1", '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const colour = (i: number) => {
      const [r, g, b] = [px[i * 3]!, px[i * 3 + 1]!, px[i * 3 + 2]!];
      return r > 150 && g < 90 && b < 90 ? 'red' : b > 150 && r < 90 && g < 90 ? 'blue' : g > 90 && r < 90 && b < 90 ? 'green' : r + g + b < 40 ? 'black' : `${r},${g},${b}`;
    };
    expect([0, 1, 2, 3, 4, 5].map(colour)).toEqual(['red', 'blue', 'blue', 'black', 'black', 'red']);
    // The conform is its own reference: it passes the check a rendered movie must pass.
    expect(() => checkReference({ path: out, fps: info.video!.fps, durationSec: info.video!.durationSec }, timeline)).not.toThrow();
  });

  it('refuses a reference movie of another rate or length, saying which', () => {
    const t = sequence();
    expect(() => checkReference({ path: '/r/ref.mov', fps: 29.97, durationSec: 4 }, t)).toThrow(/ref\.mov runs at 29\.970 fps but the timeline "Round trip" is 25\.000 fps/);
    expect(() => checkReference({ path: '/r/ref.mov', fps: 25, durationSec: 3.5 }, t)).toThrow(/lasts 3\.500 s but the timeline "Round trip" lasts 4\.000 s/);
    expect(() => checkReference({ path: '/r/ref.mov', fps: 25, durationSec: 4.04 }, t)).not.toThrow();
  });
});
