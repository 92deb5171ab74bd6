import { describe, expect, it } from 'vitest';
import { ProgressThrottle, type ProgressUpdate } from '../../../electron/core/jobs/progress-throttle.ts';

/** A clock and timer queue the test advances by hand. */
function fakeTime() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  return {
    clock: () => now,
    schedule: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id as unknown as ReturnType<typeof setTimeout>;
    },
    unschedule: (t: ReturnType<typeof setTimeout>) => {
      timers = timers.filter((x) => x.id !== (t as unknown as number));
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > end) break;
        timers.shift();
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

describe('ProgressThrottle', () => {
  it('passes the first update at once and coalesces a burst into the latest one per interval', () => {
    const t = fakeTime();
    const out: Array<ProgressUpdate & { at: number }> = [];
    const th = new ProgressThrottle((u) => out.push({ ...u, at: t.clock() }), 100, t.clock, t.schedule, t.unschedule);
    // 1000 updates over one second, one per millisecond.
    for (let i = 0; i < 1000; i++) {
      th.push({ stage: 'frames', fraction: i / 1000 });
      t.advance(1);
    }
    t.advance(200);
    expect(out[0]).toEqual({ stage: 'frames', fraction: 0, at: 0 });
    expect(out.length).toBeGreaterThanOrEqual(9);
    expect(out.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < out.length; i++) expect(out[i]!.at - out[i - 1]!.at).toBeGreaterThanOrEqual(100);
    // The last value is never lost.
    expect(out[out.length - 1]!.fraction).toBe(0.999);
  });

  it('lets sparse updates through immediately', () => {
    const t = fakeTime();
    const out: ProgressUpdate[] = [];
    const th = new ProgressThrottle((u) => out.push(u), 100, t.clock, t.schedule, t.unschedule);
    th.push({ stage: 'a', fraction: 0.1 });
    t.advance(150);
    th.push({ stage: 'b', fraction: 0.2 });
    expect(out.map((u) => u.stage)).toEqual(['a', 'b']);
    expect(t.pending()).toBe(0);
  });

  it('drops a pending update when stopped', () => {
    const t = fakeTime();
    const out: ProgressUpdate[] = [];
    const th = new ProgressThrottle((u) => out.push(u), 100, t.clock, t.schedule, t.unschedule);
    th.push({ stage: 'a', fraction: 0.1 });
    th.push({ stage: 'a', fraction: 0.2 });
    th.stop();
    t.advance(500);
    expect(out).toEqual([{ stage: 'a', fraction: 0.1 }]);
  });
});
