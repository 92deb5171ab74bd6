import type { V2mEventName, V2mEvents } from '../../electron/shared/events.ts';

export type SeenEvent = { event: V2mEventName; payload: V2mEvents[V2mEventName] };

/** Resolves with the job's final event (done or failed), as the UI would learn it. */
export function finalEvent(events: SeenEvent[], jobId: string, timeoutMs = 60_000): Promise<SeenEvent> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = setInterval(() => {
      const e = events.find((x) => (x.event === 'job:done' || x.event === 'job:failed') && (x.payload as { jobId: string }).jobId === jobId);
      if (e) {
        clearInterval(tick);
        resolve(e);
      } else if (Date.now() - t0 > timeoutMs) {
        clearInterval(tick);
        reject(new Error(`job ${jobId} did not finish within ${timeoutMs} ms`));
      }
    }, 10);
  });
}
