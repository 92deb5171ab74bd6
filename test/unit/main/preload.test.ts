import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/paths.ts';

/** Loads the sandboxed preload with fake contextBridge/ipcRenderer and returns what it exposes. */
function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: (...a: unknown[]) => {
      invoked.push(a);
      return Promise.resolve({ ok: true, result: a });
    },
    on: (ch: string, l: (...a: unknown[]) => void) => listeners.set(ch, (listeners.get(ch) ?? new Set()).add(l)),
    removeListener: (ch: string, l: (...a: unknown[]) => void) => listeners.get(ch)?.delete(l),
  };
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) };
  const code = readFileSync(path.join(projectRoot, 'electron/preload/preload.cjs'), 'utf8');
  const requireFake = (m: string) => {
    if (m !== 'electron') throw new Error(`sandboxed preload may not require ${m}`);
    return { contextBridge, ipcRenderer };
  };
  vm.runInNewContext(code, { require: requireFake, Promise, Error, Set });
  const emit = (...args: unknown[]) => {
    for (const l of listeners.get('v2m:event') ?? []) l({}, ...args);
  };
  return { v2m: exposed.v2m as { invoke(m: unknown, i: unknown): Promise<unknown>; on(e: string, l: (p: unknown) => void): () => void }, invoked, emit };
}

describe('preload proxy', () => {
  it('forwards calls to v2m:call:<method> and nothing else', async () => {
    const { v2m, invoked } = loadPreload();
    await v2m.invoke('createProject', { name: 'x' });
    expect(invoked).toEqual([['v2m:call:createProject', { name: 'x' }]]);
    for (const bad of ['../x', 'a:b', '', 42, 'x'.repeat(65)]) await expect(v2m.invoke(bad, {})).rejects.toThrow(/Invalid API method/);
    expect(invoked).toHaveLength(1);
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const { v2m, emit } = loadPreload();
    const got: unknown[] = [];
    const off = v2m.on('job:progress', (p) => got.push(p));
    emit('job:progress', { fraction: 0.5 });
    emit('job:done', { result: 1 });
    off();
    emit('job:progress', { fraction: 0.9 });
    expect(got).toEqual([{ fraction: 0.5 }]);
    expect(() => v2m.on('secrets', () => undefined)).toThrow(/Unknown event/);
  });
});
