import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../electron/core/media/index.ts';
import { editPoints, readTimelineFile } from '../../electron/core/timeline/index.ts';
import { runV2m } from '../helpers/cli.ts';
import { cutsClip } from '../helpers/clips.ts';
import { sharedData } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

const premiereXml = path.join(sharedData, 'timelines/premiere_example.xml');

describe('v2m score <timeline>', () => {
  let tmp: ReturnType<typeof tempDir>;
  let media: string;
  beforeAll(async () => {
    tmp = tempDir('v2m-score-tl-');
    media = path.join(tmp.dir, 'media');
    mkdirSync(media);
    copyFileSync(await cutsClip('tl-sh010-30fps.mp4', { cutTimes: [1.5], durationSec: 4, fps: 30, audio: true }), path.join(media, 'sc01_sh010_anim.mov'));
  });
  afterAll(() => tmp.cleanup());

  it('says which media is offline and how to find it', async () => {
    const r = await runV2m(['score', premiereXml, '-o', path.join(tmp.dir, 'x.mp4')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 media file\(s\) of "sc01_sh010_layerA" are offline: D:\/media\/sc01_sh010_anim\.mov\. Give --media <folder>/);
  });

  it('scores a Premiere sequence on its own edit points and markers', async () => {
    const out = path.join(tmp.dir, 'scored.mp4');
    const report = path.join(tmp.dir, 'report.json');
    const back = path.join(tmp.dir, 'back to premiere.xml');
    const r = await runV2m(['score', premiereXml, '--media', media, '-o', out, '--report', report, '--style', 'electronic', '--timeline-out', back], { timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const info = await probe(out);
    expect(info.video!.frameCount).toBe(1258);
    expect(info.audio).toMatchObject({ codec: 'aac' });
    const plan = JSON.parse(readFileSync(report, 'utf8')).plan as { cuts: Array<{ timeSec: number; kind: string }> };
    const { timeline } = await readTimelineFile(premiereXml);
    expect(plan.cuts.map((c) => [Math.round(c.timeSec * 1000), c.kind])).toEqual(editPoints(timeline).map((e) => [Math.round(e.timeSec * 1000), 'edit']));
    // The round-trip timeline: the same sequence, its markers, and the music beside it on its own track.
    expect(r.stdout).toContain(`timeline     ${back} (xmeml)`);
    const round = (await readTimelineFile(back)).timeline;
    expect(editPoints(round)).toEqual(editPoints(timeline));
    for (const m of timeline.markers) expect(round.markers.some((x) => x.frame === m.frame && x.name === m.name), m.name).toBe(true);
    const music = round.audioTracks.flatMap((t) => t.clips).find((c) => (c.mediaPath ?? '').endsWith('back to premiere-music.wav'));
    expect(music).toMatchObject({ recordIn: 0 });
    expect((await probe(path.join(tmp.dir, 'back to premiere-music.wav'))).audio).not.toBeNull();
  }, 300_000);

  it('refuses a --timeline-out it cannot name a format for', async () => {
    const r = await runV2m(['score', premiereXml, '-o', path.join(tmp.dir, 'y.mp4'), '--timeline-out', path.join(tmp.dir, 'y.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot tell the format of .*y\.txt from its extension; add --timeline-format/);
  });
});
