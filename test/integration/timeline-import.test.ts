import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/core/api/engine.ts';
import { markerTimes } from '../../electron/core/api/timeline-import.ts';
import { editPoints, readTimelineFile } from '../../electron/core/timeline/index.ts';
import type { ClipInfo } from '../../electron/shared/domain.ts';
import { cutsClip, makeClip } from '../helpers/clips.ts';
import { sharedData } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// Premiere's own FCP7 XML export: a 30 fps sequence whose main track plays 100 frames of
// D:/media/sc01_sh010_anim.mov at 536–636, with four sequence markers. That drive is not here:
// the test makes a file of that name and relinks to it, as a user would after copying the media.
const premiereXml = path.join(sharedData, 'timelines/premiere_example.xml');

describe('importing an editor timeline into a project (engine API)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let projectId: string;
  let mediaDir: string;
  let clipId = '';

  beforeAll(async () => {
    tmp = tempDir('v2m-tlimport-');
    mediaDir = path.join(tmp.dir, 'copied media');
    mkdirSync(mediaDir, { recursive: true });
    copyFileSync(await cutsClip('tl-sh010-30fps.mp4', { cutTimes: [1.5], durationSec: 4, fps: 30, audio: true }), path.join(mediaDir, 'sc01_sh010_anim.mov'));
    engine = new Engine({ libraryFile: path.join(tmp.dir, 'data', 'library.sqlite'), transport: 'direct', mediaUrl: (id) => `/media/${id}` });
    projectId = (await engine.createProject({ name: 'Premiere round trip' })).id;
  });
  afterAll(async () => {
    await engine?.close();
    tmp.cleanup();
  });

  it('reads the timeline, lists what is offline and starts nothing until it is found', async () => {
    const info = await engine.importTimeline({ projectId, path: premiereXml });
    expect(info).toMatchObject({ format: 'xmeml', name: 'sc01_sh010_layerA', fps: 30, fpsRational: '30/1', dropFrame: false, editPoints: 2, markers: 4, clipId: null, job: null });
    expect(info.durationSec).toBeCloseTo(1258 / 30, 9);
    expect(info.missing).toEqual([{ id: 'file-1', name: 'sc01_sh010_anim.mov', path: 'D:/media/sc01_sh010_anim.mov', found: false }]);
    await expect(engine.relinkMedia({ importId: info.importId, searchFolder: path.join(tmp.dir, 'elsewhere') })).rejects.toThrow(/does not exist: choose the folder that holds the timeline's media/);
    await expect(engine.importTimeline({ projectId, path: 'relative.xml' })).rejects.toThrow(/full path of the timeline file/);
  });

  it('refuses a reference movie that is not this timeline', async () => {
    const short = await makeClip('tl-ref-2s-30fps.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=30:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']);
    await expect(engine.importTimeline({ projectId, path: premiereXml, referenceMoviePath: short })).rejects.toThrow(/lasts 2\.000 s but the timeline "sc01_sh010_layerA" lasts 41\.933 s/);
  });

  it('cancels a conform and leaves no ffmpeg or half file behind; relinking again starts a new one', async () => {
    const info = await engine.importTimeline({ projectId, path: premiereXml });
    const started = await engine.relinkMedia({ importId: info.importId, searchFolder: mediaDir });
    expect(started.job).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect((await engine.cancelJob({ jobId: started.job!.jobId })).cancelled).toBe(true);
    await expect(engine.waitForJob(started.job!.jobId)).rejects.toThrow(/cancel/i);
    const dir = path.join(tmp.dir, 'data', 'conforms', info.importId);
    expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp.mp4'))).toEqual([]);
    const again = await engine.relinkMedia({ importId: info.importId, searchFolder: mediaDir });
    expect(again.job!.jobId).not.toBe(started.job!.jobId);
    await engine.cancelJob({ jobId: again.job!.jobId });
    await engine.waitForJob(again.job!.jobId).catch(() => undefined);
  });

  it('relinks by file name, conforms, and analyses with the edit points as cuts and the markers as accents', async () => {
    const first = await engine.importTimeline({ projectId, path: premiereXml });
    const relinked = await engine.relinkMedia({ importId: first.importId, searchFolder: tmp.dir });
    expect(relinked.missing).toEqual([]);
    expect(relinked.media[0]!.path).toBe(path.join(mediaDir, 'sc01_sh010_anim.mov'));
    expect(relinked.job).toMatchObject({ kind: 'conform' });
    const clip = (await engine.waitForJob(relinked.job!.jobId)) as ClipInfo;
    clipId = clip.id;
    expect(clip.probe.video!.frameCount).toBe(1258);
    expect(clip.probe.video!.fps).toBeCloseTo(30, 6);
    expect(path.dirname(path.dirname(clip.path))).toBe(path.join(tmp.dir, 'data', 'conforms'));
    expect(path.basename(clip.path)).toBe('sc01_sh010_layerA.mp4');

    await engine.waitForJob((await engine.analyze({ clipId: clip.id })).jobId);
    const { timeline } = await readTimelineFile(premiereXml);
    const plan = (await engine.getRhythmPlan({ clipId: clip.id }))!.plan;
    // The editor's cuts, exact to the frame (plans keep microseconds), not what the detector found in the conform.
    const micro = (t: number) => Math.round(t * 1e6) / 1e6;
    expect(plan.cuts.map((c) => [c.timeSec, c.kind])).toEqual(editPoints(timeline).map((e) => [micro(e.timeSec), 'edit']));
    const markerSecs = markerTimes(timeline).map((m) => m.timeSec).filter((t) => t < clip.probe.durationSec);
    expect(markerSecs.length).toBeGreaterThan(0);
    for (const t of markerSecs) expect(plan.accents.some((a) => Math.abs(a.timeSec - t) < 0.001 && a.strength === 1), `accent at ${t}`).toBe(true);
    expect(plan.accents.filter((a) => a.kind === 'cut').map((a) => a.timeSec)).toEqual(plan.cuts.map((c) => c.timeSec));

    // An edit point is edited like any cut and stays an edit point.
    const moved = await engine.editRhythmPlan({ clipId: clip.id, edit: { kind: 'moveCut', id: plan.cuts[0]!.id, toSec: 18 } });
    expect(moved.plan.cuts.find((c) => c.id === plan.cuts[0]!.id)).toEqual({ id: plan.cuts[0]!.id, timeSec: 18, kind: 'edit' });

    // The same timeline again with its own conform as the reference: no second conform, the same plan.
    const again = await engine.importTimeline({ projectId, path: premiereXml, referenceMoviePath: clip.path });
    expect(again).toMatchObject({ clipId: clip.id, job: null });
    // Its sources are still offline (this import was not relinked), and it says so.
    expect(again.missing.map((m) => m.name)).toEqual(['sc01_sh010_anim.mov']);
    const detail = await engine.openProject({ projectId });
    expect(detail.clips.map((c) => c.id)).toEqual([clip.id]);
    expect(detail.exportFolder).toMatch(/exports[\\/]Premiere round trip-/);
  }, 180_000);

  it('sends the sequence back with the music and the markers, in every interchange format', async () => {
    expect(clipId).not.toBe('');
    await engine.waitForJob((await engine.generate({ clipId, generator: 'composer', seed: 5, params: { style: 'ambient' } })).jobId);
    const [g] = await engine.listGenerations({ clipId });
    const original = (await readTimelineFile(premiereXml)).timeline;
    const out = path.join(tmp.dir, 'to the editor');
    mkdirSync(out);
    const kinds = (await engine.appInfo()).exportKinds;
    expect(kinds).toEqual(expect.arrayContaining(['fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio']));
    const plan = (await engine.getRhythmPlan({ clipId }))!.plan;
    for (const [kind, file] of [['fcpxml', 'cut.fcpxml'], ['xmeml', 'cut.xml'], ['edl', 'cut.edl'], ['otio', 'cut.otio']] as const) {
      const dest = path.join(out, file);
      await engine.waitForJob((await engine.exportProject({ projectId, generationId: g!.id, kind, path: dest })).jobId);
      const back = await readTimelineFile(dest);
      // The editor's own edit points come back untouched…
      expect(editPoints(back.timeline), kind).toEqual(editPoints(original));
      // …with its markers on their frames, and the plan's (moved) cuts as markers.
      const frames = new Set(back.timeline.markers.map((m) => m.frame));
      for (const m of original.markers) expect(frames.has(m.frame), `${kind}: marker ${m.name} at ${m.frame}`).toBe(true);
      for (const c of plan.cuts) expect(frames.has(Math.round(c.timeSec * 30)), `${kind}: cut at ${c.timeSec}`).toBe(true);
      // The music sits beside the file, on a track of its own from the first frame.
      const music = back.timeline.audioTracks.flatMap((t) => t.clips).find((c) => /cut-music\.wav$/.test(c.mediaPath ?? c.name));
      expect(music, `${kind}: music clip`).toBeDefined();
      expect(music!.recordIn, kind).toBe(0);
    }
    expect((await engine.listExports({ projectId })).map((e) => e.kind).sort()).toEqual(['edl', 'fcpxml', 'otio', 'xmeml']);
  }, 240_000);
});
