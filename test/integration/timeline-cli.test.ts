import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runV2m } from '../helpers/cli.ts';
import { sharedData } from '../helpers/paths.ts';
import { otioEditPoints, otioRead, otioUnavailable } from '../helpers/otio.ts';
import { readTimelineFile } from '../../electron/core/timeline/index.ts';

const why = otioUnavailable();
if (why) console.warn(`[otio] skipping the OpenTimelineIO checks of the CLI: ${why}`);
const dir = mkdtempSync(path.join(tmpdir(), 'v2m-tlcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tl = (f: string) => path.join(sharedData, 'timelines', f);

/** A 16-bit stereo PCM WAV of `sec` seconds of silence, for the music clip. */
function wav(file: string, sec: number, rate = 48000): string {
  const frames = Math.round(sec * rate);
  const data = frames * 4;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0); b.writeUInt32LE(36 + data, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(2, 22); b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 4, 28); b.writeUInt16LE(4, 32); b.writeUInt16LE(16, 34); b.write('data', 36); b.writeUInt32LE(data, 40);
  writeFileSync(file, b);
  return file;
}

describe('v2m timeline', () => {
  for (const f of ['fcpx_project.fcpxml', 'premiere_example.xml', 'avid_example.edl']) {
    it.skipIf(why !== null)(`${f} --json prints the edit points OpenTimelineIO reads`, async () => {
      const r = await runV2m(['timeline', tl(f), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(Object.keys(j)).toEqual(expect.arrayContaining(['fps', 'fpsRational', 'dropFrame', 'startTimecode', 'durationSec', 'cuts', 'clips', 'markers', 'media', 'warnings']));
      const otio = otioRead(tl(f));
      expect(j.cuts.map((c: { frame: number }) => c.frame)).toEqual(otioEditPoints(otio.video[0], j.durationFrames));
      expect(j.fps).toBeCloseTo(otio.rate, 9);
      for (const c of j.cuts) expect(c.timeSec).toBeCloseTo(c.frame / j.fps, 5);
    });
  }

  it('prints rate, start and cuts as text; a bad file exits 1 with the reader\'s message', async () => {
    const r = await runV2m(['timeline', tl('25fps.edl'), '--fps', '25']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rate\s+25\/1 \(25\.000 fps\)/);
    expect(r.stdout).toMatch(/cuts\s+3\n\s+00:00:06:11\s+frame\s+161/);
    const empty = path.join(dir, 'empty.fcpxml');
    writeFileSync(empty, '');
    const bad = await runV2m(['timeline', empty]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/empty\.fcpxml is empty\./);
    const usage = await runV2m(['timeline', tl('25fps.edl'), '--fps', 'quick']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--fps: "quick" is not a frame rate/);
  });
});

describe('v2m markers', () => {
  const plan = {
    version: 1, durationSec: 30, fps: 29.97, odfLR: [], cuts: [{ timeSec: 4.2 }, { timeSec: 12.5 }],
    accents: [
      { timeSec: 1.5, strength: 0.9, kind: 'visual-beat' }, { timeSec: 4.2, strength: 1, kind: 'cut' },
      { timeSec: 8.75, strength: 0.3, kind: 'visual-beat' }, { timeSec: 12.5, strength: 0.8, kind: 'cut' }, { timeSec: 20, strength: 0.6, kind: 'user' },
    ],
    mood: { valence: 0, arousal: 0 }, source: { planner: 'heuristic-1', video: '/media/clip.mp4' },
  };
  const planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const music = wav(path.join(dir, 'music.wav'), 30);
  // Plan times on 29.97 frames: round(t * 30000 / 1001).
  const frames = [45, 126, 262, 375, 599];

  for (const [format, ext, adapter] of [['fcpxml', 'fcpxml', 'fcpx_xml'], ['xmeml', 'xml', 'fcp_xml'], ['otio', 'otio', 'otio_json'], ['edl', 'edl', 'cmx_3600']] as const) {
    it(`plan.json --format ${format} is read back with every marker on its frame and the music clip`, async () => {
      const out = path.join(dir, `m.${ext}`);
      const r = await runV2m(['markers', planFile, '--format', format, '--music', music, '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/5 markers at 29\.970 fps, with music/);
      const back = (await readTimelineFile(out, { rate: { num: 30000, den: 1001 } })).timeline;
      expect(back.markers.map((m) => m.frame)).toEqual(frames);
      expect(back.markers.map((m) => m.kind)).toEqual(['visual-beat', 'cut', 'visual-beat', 'cut', 'user']);
      const ourMusic = back.audioTracks.flatMap((t) => t.clips).find((c) => c.name === 'music.wav');
      expect(ourMusic && [ourMusic.recordIn, ourMusic.recordOut]).toEqual([0, 899]);
      // OTIO's FCPX adapter truncates 29.97 to 29 fps (see writers-otio.test.ts, which judges FCPXML at
      // whole rates), and its cmx reader ignores LOC lines: those are left to our own reader above.
      if (why || format === 'fcpxml') return;
      const o = otioRead(out, adapter, format === 'edl' ? '30000/1001' : undefined);
      const musicClip = [...o.audio, ...o.video].flatMap((t) => t.items).find((i) => i.name === 'music.wav');
      expect(musicClip && [musicClip.recordIn, musicClip.recordOut]).toEqual([0, 899]);
      if (format === 'xmeml' || format === 'otio') {
        const all = [...o.stackMarkers, ...o.video.flatMap((t) => t.markers), ...o.audio.flatMap((t) => t.markers)];
        expect(all.map((m) => m.frame)).toEqual(frames);
      }
    });
  }

  it('resolve-edl and csv with --kinds and --min-strength', async () => {
    const out = path.join(dir, 'r.edl');
    const r = await runV2m(['markers', planFile, '--format', 'resolve-edl', '--kinds', 'cut,beat', '--min-strength', '0.5', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 markers \(2 filtered out or outside the sequence\)/);
    expect(readFileSync(out, 'utf8')).toContain(' |C:ResolveColorCyan |M:Visual beat 0.90 |D:1');
    const csv = path.join(dir, 'm.csv');
    expect((await runV2m(['markers', planFile, '--format', 'csv', '--drop-frame', '--start', '01:00:00;00', '-o', csv])).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n')[2]).toBe('Cut 1.00,cut,4.204200,01:00:04;06,126,1.00,red,0');
  });

  it('converts a timeline between formats, keeping cuts and markers', async () => {
    const out = path.join(dir, 'from-fcpx.xml');
    const r = await runV2m(['markers', tl('fcpx_project.fcpxml'), '--format', 'xmeml', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const a = (await readTimelineFile(tl('fcpx_project.fcpxml'))).timeline;
    const b = (await readTimelineFile(out)).timeline;
    expect(b.markers.map((m) => [m.frame, m.name])).toEqual(a.markers.map((m) => [m.frame, m.name]));
    expect(b.videoTracks[0]!.clips.map((c) => [c.recordIn, c.recordOut])).toEqual(a.videoTracks[0]!.clips.map((c) => [c.recordIn, c.recordOut]));
  });

  it('usage errors exit 2 and say what to fix', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['markers', planFile, '--format', 'aaf', '-o', 'x'], /--format must be one of fcpxml, xmeml, edl, resolve-edl, otio, csv/],
      [['markers', planFile, '--format', 'edl'], /give the output file with -o/],
      [['markers', planFile, '--format', 'edl', '-o', 'x', '--kinds', 'drums'], /unknown kind "drums"/],
      [['markers', planFile, '--format', 'fcpxml', '-o', 'x', '--fcpxml-version', '2.0'], /--fcpxml-version must be one of 1\.8, 1\.9, 1\.10, 1\.11/],
      [['markers', planFile, '--format', 'csv', '-o', 'x', '--min-strength', 'lots'], /--min-strength must be a number from 0 to 1/],
    ];
    for (const [args, msg] of cases) {
      const r = await runV2m(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const notPlan = path.join(dir, 'notplan.json');
    writeFileSync(notPlan, '{"durationSec": 3}');
    const np = await runV2m(['markers', notPlan, '--format', 'csv', '-o', path.join(dir, 'np.csv')]);
    expect(np.code).toBe(1);
    expect(np.stderr).toMatch(/notplan\.json is JSON but neither a rhythm plan \(it has no "accents"\) nor an OpenTimelineIO timeline/);
    const noVideo = path.join(dir, 'novideo.json');
    writeFileSync(noVideo, JSON.stringify({ ...plan, source: undefined }));
    const r = await runV2m(['markers', noVideo, '--format', 'csv', '-o', path.join(dir, 'n.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the plan does not name its video; give it with --video/);
  });
});

describe('v2m markers <timeline> --plan: the rhythm markers and the music back onto the editor\'s own sequence', () => {
  it('Premiere sequence + plan + music → FCP7 XML that OTIO reads with every marker on its frame', async () => {
    const planFile = path.join(dir, 'seq-plan.json');
    writeFileSync(planFile, JSON.stringify({
      version: 1, durationSec: 41.93, fps: 30, cuts: [17.8667], mood: { valence: 0, arousal: 0 },
      accents: [{ timeSec: 2, strength: 0.7, kind: 'visual-beat' }, { timeSec: 17.8667, strength: 1, kind: 'cut' }, { timeSec: 30.5, strength: 0.55, kind: 'user' }],
    }));
    const music = wav(path.join(dir, 'seq-music.wav'), 41);
    const out = path.join(dir, 'seq-back.xml');
    const r = await runV2m(['markers', tl('premiere_example.xml'), '--plan', planFile, '--music', music, '--format', 'xmeml', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/7 markers at 30\.000 fps, with music/);
    const back = (await readTimelineFile(out)).timeline;
    // The editor's four markers stay; the plan's three land on 60, 536 (the edit) and 915.
    expect(back.markers.map((m) => [m.frame, m.kind])).toEqual([[60, 'visual-beat'], [113, 'user'], [298, 'user'], [395, 'user'], [492, 'user'], [536, 'cut'], [915, 'user']]);
    expect(back.videoTracks.map((t) => t.clips.length)).toEqual([1, 4, 1, 2]);
    if (why) return;
    const o = otioRead(out, 'fcp_xml');
    expect(o.stackMarkers.map((m) => m.frame).sort((a, b) => a - b)).toEqual([60, 113, 298, 395, 492, 536, 915]);
    const musicClip = o.audio.flatMap((t) => t.items).find((i) => i.name === 'seq-music.wav');
    expect(musicClip && [musicClip.recordIn, musicClip.recordOut]).toEqual([0, 1230]);
    const withPlanAsInput = await runV2m(['markers', planFile, '--plan', planFile, '--format', 'csv', '-o', path.join(dir, 'x.csv'), '--video', '/m/a.mov']);
    expect(withPlanAsInput.code).toBe(2);
  });
});
