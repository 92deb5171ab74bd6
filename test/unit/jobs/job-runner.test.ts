import { describe, expect, it } from 'vitest';
import { builtInJobKinds, JobRunner, type JobKind } from '../../../electron/core/jobs/index.ts';
import type { V2mEventName, V2mEvents } from '../../../electron/shared/events.ts';
import { cutsClip } from '../../helpers/clips.ts';
import { testVideo } from '../../helpers/paths.ts';
import { childMediaProcesses } from '../../helpers/processes.ts';

type Recorded = { event: V2mEventName; payload: V2mEvents[V2mEventName]; at: number };

function runner(extra: JobKind[] = []) {
  const events: Recorded[] = [];
  const r = new JobRunner({
    kinds: [...builtInJobKinds, ...extra],
    emit: (event, payload) => events.push({ event, payload, at: performance.now() }),
  });
  return { r, events };
}

const stuckKind: JobKind = { name: 'stuck', module: new URL('./fixtures/stuck-job.ts', import.meta.url), exportName: 'stuckJob' };

describe('JobRunner', () => {
  it('runs the filmstrip job in a worker and reports throttled progress then done', async () => {
    const clip = await cutsClip('jobs-cuts-4s.mp4', { cutTimes: [1.5, 3], durationSec: 4 });
    const { r, events } = runner();
    const ref = r.start('filmstrip', { path: clip, intervalSec: 0.4, height: 48 });
    expect(ref.kind).toBe('filmstrip');
    const result = (await r.wait(ref.jobId)) as { probe: { durationSec: number }; filmstrip: { width: number; height: number; tiles: Array<{ timeSec: number; jpeg: Uint8Array }> } };
    expect(result.probe.durationSec).toBeCloseTo(4, 1);
    expect(result.filmstrip.height).toBe(48);
    expect(result.filmstrip.width).toBe(64);
    const times = result.filmstrip.tiles.map((t) => t.timeSec);
    expect(times).toHaveLength(10);
    // The first frame of each 0.4 s interval: at most one 25 fps frame after its start.
    times.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(i * 0.4 - 1e-6);
      expect(t).toBeLessThanOrEqual(i * 0.4 + 0.04 + 1e-6);
    });
    expect([...result.filmstrip.tiles[0]!.jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);

    const progress = events.filter((e) => e.event === 'job:progress');
    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(95);
    const last = events[events.length - 1]!;
    expect(last.event).toBe('job:done');
    expect((last.payload as V2mEvents['job:done']).jobId).toBe(ref.jobId);
  });

  it('keeps progress at or under 10 events a second on a long job', async () => {
    const { r, events } = runner();
    const ref = r.start('filmstrip', { path: testVideo, intervalSec: 0.1, height: 36 });
    await r.wait(ref.jobId);
    const times = events.filter((e) => e.event === 'job:progress').map((e) => e.at);
    expect(times.length).toBeGreaterThan(2);
    for (let i = 0; i < times.length; i++) {
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(10);
    }
  });

  it('cancels within a second and leaves no ffmpeg running', async () => {
    const { r, events } = runner();
    const ref = r.start('filmstrip', { path: testVideo, intervalSec: 0.04, height: 360 });
    // Wait until the job is inside ffmpeg decoding.
    for (let i = 0; i < 300 && !events.some((e) => e.event === 'job:progress' && (e.payload as V2mEvents['job:progress']).stage === 'filmstrip'); i++) {
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(childMediaProcesses().length, 'ffmpeg should be running before the cancel').toBeGreaterThan(0);
    const t0 = performance.now();
    expect(r.cancel(ref.jobId)).toBe(true);
    const err = await r.wait(ref.jobId).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/filmstrip job was cancelled/);
    expect(elapsed).toBeLessThan(1000);
    expect(childMediaProcesses()).toEqual([]);
    const failed = events.find((e) => e.event === 'job:failed')!.payload as V2mEvents['job:failed'];
    expect(failed).toMatchObject({ jobId: ref.jobId, cancelled: true });
    expect(events.some((e) => e.event === 'job:done')).toBe(false);
    expect(r.cancel(ref.jobId)).toBe(false);
  });

  it('terminates a job stuck in synchronous code and kills its ffmpeg within a second', async () => {
    const { r, events } = runner([stuckKind]);
    const ref = r.start('stuck', {});
    for (let i = 0; i < 300 && !events.some((e) => e.event === 'job:progress'); i++) await new Promise((res) => setTimeout(res, 20));
    expect(childMediaProcesses().length).toBeGreaterThan(0);
    const t0 = performance.now();
    r.cancel(ref.jobId);
    const err = await r.wait(ref.jobId).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((err as Error).name).toBe('AbortError');
    // Killed with SIGKILL: give the kernel a moment to reap it.
    for (let i = 0; i < 25 && childMediaProcesses().length > 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(childMediaProcesses()).toEqual([]);
  });

  it('reports a failing job as an Error with the engine message and code', async () => {
    const { r, events } = runner();
    const ref = r.start('filmstrip', { path: '/no/such/video.mp4', intervalSec: 1, height: 36 });
    const err = await r.wait(ref.jobId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/\/no\/such\/video\.mp4/);
    const failed = events.find((e) => e.event === 'job:failed')!.payload as V2mEvents['job:failed'];
    expect(failed.cancelled).toBe(false);
    expect(failed.error.code).toBe('NOT_FOUND');
  });

  it('refuses unknown kinds and turns a failing result hook into job:failed', async () => {
    const { r, events } = runner();
    expect(() => r.start('no-such-kind', {})).toThrow(/No job of kind "no-such-kind"/);
    const clip = await cutsClip('jobs-cuts-4s.mp4', { cutTimes: [1.5, 3], durationSec: 4 });
    const ref = r.start('filmstrip', { path: clip, intervalSec: 2, height: 36 }, {
      onResult: () => {
        throw new Error('disk full while saving');
      },
    });
    await expect(r.wait(ref.jobId)).rejects.toThrow(/disk full while saving/);
    expect(events.at(-1)!.event).toBe('job:failed');
  });

  it('close() cancels everything that runs', async () => {
    const { r } = runner();
    const a = r.start('filmstrip', { path: testVideo, intervalSec: 0.04, height: 360 });
    const b = r.start('filmstrip', { path: testVideo, intervalSec: 0.04, height: 360 });
    await new Promise((res) => setTimeout(res, 300));
    await r.close();
    await expect(r.wait(a.jobId)).rejects.toThrow(/No running job/);
    expect(r.running).toEqual([]);
    void b;
    for (let i = 0; i < 25 && childMediaProcesses().length > 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(childMediaProcesses()).toEqual([]);
  });
});
