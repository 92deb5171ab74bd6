import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTimelineFile } from '../../electron/core/timeline/index.ts';
import { probe } from '../../electron/core/media/index.ts';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import type { V2mApi } from '../../electron/shared/api.ts';
import { createBridgeClient } from '../../electron/shared/client.ts';
import { cutsClip } from '../helpers/clips.ts';
import { finalEvent, type SeenEvent } from '../helpers/job-events.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

type Seen = SeenEvent;

describe('generate with the built-in composer and export, through the API', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let api: V2mApi;
  const events: Seen[] = [];
  let projectId = '';
  let generationId = '';
  let clipFile = '';

  beforeAll(async () => {
    tmp = tempDir('v2m-gen-');
    bridge = await openBridge({ dataDir: path.join(tmp.dir, 'data') });
    api = createBridgeClient({ baseUrl: `http://127.0.0.1:${bridge.server.port}`, token: bridge.server.token }).api;
    bridge.engine.subscribe((event, payload) => events.push({ event, payload }));
    const src = await cutsClip('gen-export-cuts.mp4', { cutTimes: [1.5, 3.5], durationSec: 5, audio: true });
    clipFile = path.join(tmp.dir, 'my clip.mp4');
    copyFileSync(src, clipFile);
  }, 120_000);
  afterAll(async () => {
    await bridge?.close();
    tmp?.cleanup();
  });

  it('analyses, shows the visual rhythm, generates music that hits the accents, next to the library', async () => {
    const project = await api.createProject({ name: 'Export test' });
    projectId = project.id;
    const clip = await api.importClip({ projectId, path: clipFile });
    const analysed = await finalEvent(events, (await api.analyze({ clipId: clip.id })).jobId, 120_000);
    expect(analysed.event).toBe('job:done');

    const rhythm = await api.getVisualRhythm({ clipId: clip.id });
    expect(rhythm!.curve.length).toBe(rhythm!.frameTimes.length);
    expect(rhythm!.curve.length).toBeGreaterThan(100);
    // The planner's base plan: the two cuts are strong accents.
    const plan = (await api.getRhythmPlan({ clipId: clip.id }))!;
    expect(plan.plan.cuts.map((c) => Math.round(c.timeSec * 100) / 100)).toEqual([1.52, 3.52]); // 1.5 s of colour at 25 fps rounds up to 38 frames
    expect(plan.plan.accents.length).toBeGreaterThanOrEqual(2);

    const job = await api.generate({ clipId: clip.id, generator: 'composer', seed: 7, params: { style: 'electronic' } });
    const done = await finalEvent(events, job.jobId, 120_000);
    expect(done.event, JSON.stringify(done.payload)).toBe('job:done');
    const [g] = await api.listGenerations({ clipId: clip.id });
    generationId = g!.id;
    expect(g!.generator).toBe('composer');
    const music = g!.files.find((f) => f.role === 'music')!;
    expect(path.dirname(music.path)).toBe(path.join(tmp.dir, 'data', 'generations'));
    expect(music.mediaUrl).toMatch(/^\/media\//);
    expect(g!.files.some((f) => f.role === 'midi')).toBe(true);
    const report = g!.syncReport as { hitRate: number; accentCount: number; integratedLufs: number };
    expect(report.accentCount).toBeGreaterThanOrEqual(2);
    expect(report.hitRate).toBeGreaterThanOrEqual(0.95);
    expect(report.integratedLufs).toBeCloseTo(-14, 0);

    // The music's waveform pyramid comes from the engine, as typed arrays through the bridge.
    const wave = await api.getGenerationWaveform({ generationId: g!.id });
    expect(wave.durationSec).toBeGreaterThan(1);
    expect(wave.levels[0]!.min).toBeInstanceOf(Float32Array);
    expect(wave.levels[0]!.min.length).toBe(Math.ceil((wave.durationSec * 44100) / 256));
    expect(Math.max(...wave.levels[0]!.max)).toBeGreaterThan(0.1);

    // A bad parameter is refused at once, before any job starts.
    await expect(api.generate({ clipId: clip.id, generator: 'composer', params: { style: 'polka' } })).rejects.toThrow(/Unknown style "polka"/);
    await expect(api.generate({ clipId: clip.id, generator: 'remix', params: {} })).rejects.toThrow(/needs your track/);
  }, 180_000);

  it('exports a scored MP4 (mixed with the original sound), the WAV, the MIDI and CSV markers', async () => {
    const out = path.join(tmp.dir, 'exports');
    mkdirSync(out);
    const run = async (kind: 'mp4' | 'wav' | 'midi' | 'markers' | 'stems' | 'fcpxml', file: string, mix?: 'mix') => {
      const job = await api.exportProject({ projectId, generationId, kind, path: path.join(out, file), ...(mix ? { mix } : {}) });
      return finalEvent(events, job.jobId, 120_000);
    };
    expect((await run('mp4', 'scored.mp4', 'mix')).event).toBe('job:done');
    const info = await probe(path.join(out, 'scored.mp4'));
    expect(info.video).toMatchObject({ width: 320, height: 240 });
    expect(info.audio).toMatchObject({ codec: 'aac' });
    expect(info.durationSec).toBeCloseTo(5, 0);
    expect((await run('wav', 'music.wav')).event).toBe('job:done');
    expect(readFileSync(path.join(out, 'music.wav')).subarray(0, 4).toString()).toBe('RIFF');
    expect((await run('midi', 'music.mid')).event).toBe('job:done');
    expect(readFileSync(path.join(out, 'music.mid')).subarray(0, 4).toString()).toBe('MThd');
    expect((await run('markers', 'markers.csv')).event).toBe('job:done');
    const csv = readFileSync(path.join(out, 'markers.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('name,kind,time_seconds,timecode');
    expect(csv.filter((l) => l.includes(',cut,'))).toHaveLength(2);
    expect(csv.find((l) => l.includes(',cut,'))).toMatch(/^Cut \d+,cut,1\.520000,00:00:01:13$/);
    // A plain clip goes to Final Cut as a one-clip sequence with the music and the plan's markers.
    expect((await run('fcpxml', 'for final cut.fcpxml')).event).toBe('job:done');
    const fcp = (await readTimelineFile(path.join(out, 'for final cut.fcpxml'))).timeline;
    expect(fcp.videoTracks[0]!.clips.map((c) => [c.recordIn, c.recordOut])).toEqual([[0, 125]]);
    expect(fcp.markers.filter((m) => m.kind === 'cut').map((m) => m.frame)).toEqual([38, 88]);
    expect(fcp.audioTracks.flatMap((t) => t.clips).some((c) => (c.mediaPath ?? '').endsWith('for final cut-music.wav'))).toBe(true);
    const exports = await api.listExports({ projectId });
    expect(exports.map((e) => e.kind).sort()).toEqual(['fcpxml', 'markers', 'midi', 'mp4', 'wav']);

    // Refusals, with nothing half-written.
    const noStems = await run('stems', 'stems');
    expect(noStems).toMatchObject({ event: 'job:failed', payload: { error: { message: expect.stringMatching(/no stems: generate again with stems/) } } });
    const badDir = await run('mp4', 'missing-folder/scored.mp4');
    expect(badDir).toMatchObject({ event: 'job:failed', payload: { error: { message: expect.stringMatching(/does not exist/) } } });
    expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(path.join(out, 'missing-folder'))).toBe(false);
    await expect(api.exportProject({ projectId, generationId, kind: 'wav', path: 'relative.wav' })).rejects.toThrow(/full path/);
  }, 180_000);
});
