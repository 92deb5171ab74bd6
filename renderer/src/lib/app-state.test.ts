import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V2mApi, V2mClient } from '../../../electron/shared/api.ts';
import type { V2mEventName, V2mEvents } from '../../../electron/shared/events.ts';
import { runeModules, type RuneModules } from '../testing/rune-modules.ts';
import type { AppState as AppStateClass } from './app-state.svelte.ts';

let modules: RuneModules;
let AppState: typeof AppStateClass;

beforeAll(async () => {
  modules = await runeModules();
  ({ AppState } = await modules.load<{ AppState: typeof AppStateClass }>('/src/lib/app-state.svelte.ts'));
});
afterAll(async () => {
  await modules?.close();
});

/** A client whose events the test pushes by hand. */
function fakeClient(api: Partial<V2mApi>) {
  const listeners = new Map<string, Array<(p: unknown) => void>>();
  const client: V2mClient = {
    api: api as V2mApi,
    on: (event, l) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l as (p: unknown) => void]);
      return () => undefined;
    },
  };
  const emit = <E extends V2mEventName>(event: E, payload: V2mEvents[E]): void => listeners.get(event)?.forEach((l) => l(payload));
  return { client, emit };
}

describe('AppState', () => {
  it('follows a job to its end and resolves its waiter once', async () => {
    const { client, emit } = fakeClient({});
    const app = new AppState(client);
    const done = app.track('j1', 'analyze');
    emit('job:progress', { jobId: 'j1', kind: 'analyze', stage: 'decode', fraction: 0.5 });
    expect(app.jobs.j1).toMatchObject({ state: 'running', fraction: 0.5 });
    emit('job:done', { jobId: 'j1', kind: 'analyze', result: { ok: 1 } });
    await expect(done).resolves.toMatchObject({ state: 'done', result: { ok: 1 } });
    emit('job:progress', { jobId: 'j1', kind: 'analyze', stage: 'late', fraction: 0.9 });
    expect(app.jobs.j1!.state).toBe('done');
  });

  it('resolves at once for a job that finished before it was tracked (a cached analysis)', async () => {
    const { client, emit } = fakeClient({});
    const app = new AppState(client);
    emit('job:failed', { jobId: 'j2', kind: 'analyze', cancelled: true, error: { name: 'AbortError', message: 'aborted' } });
    await expect(app.track('j2', 'analyze')).resolves.toMatchObject({ state: 'cancelled' });
  });

  it('cancels through the API and shows a failure to load projects in place', async () => {
    const cancelled: string[] = [];
    const { client } = fakeClient({
      cancelJob: async ({ jobId }) => (cancelled.push(jobId), { cancelled: true }),
      listRecentProjects: async () => {
        throw new Error('The library is locked by another copy of the app.');
      },
    });
    const app = new AppState(client);
    await app.cancel('j3');
    expect(cancelled).toEqual(['j3']);
    await app.loadRecent();
    expect(app.error).toBe('The library is locked by another copy of the app.');
  });
});
