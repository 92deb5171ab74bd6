import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/api/engine.ts';
import { isAppUrl } from '../../../electron/main/content-security.ts';
import { bindApi, forwardEvents, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, type IpcEnvelope, type IpcInvokeEventLike, type IpcMainLike } from '../../../electron/main/ipc-binding.ts';
import { createIpcClient } from '../../../electron/shared/client.ts';
import { apiMethods } from '../../../electron/shared/schemas.ts';
import { tempDir } from '../store/store-fixtures.ts';

/** Stands in for Electron's ipcMain: keeps handlers and lets the test invoke them as a frame would. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frameUrl: string, ...args: unknown[]): Promise<IpcEnvelope> {
    const h = this.handlers.get(channel);
    if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    // Electron structured-clones arguments and results; do the same.
    return h({ senderFrame: { url: frameUrl } }, ...structuredClone(args)).then((r) => structuredClone(r) as IpcEnvelope);
  }
}

describe('IPC binding', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let ipc: FakeIpcMain;
  let unbind: () => void;

  beforeEach(() => {
    tmp = tempDir('v2m-ipc-');
    engine = new Engine({ libraryFile: path.join(tmp.dir, 'library.sqlite'), transport: 'electron', mediaUrl: (id) => `v2m-media://media/${id}` });
    ipc = new FakeIpcMain();
    unbind = bindApi(ipc, engine, { isTrustedSender: isAppUrl });
  });
  afterEach(async () => {
    unbind();
    await engine.close();
    tmp.cleanup();
  });

  it('registers one handler per operation of the contract and removes them all', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(apiMethods.map((m) => IPC_CALL_PREFIX + m).sort());
    unbind();
    expect(ipc.handlers.size).toBe(0);
    unbind = () => undefined;
  });

  it('answers calls from the app page', async () => {
    const created = await ipc.invoke(`${IPC_CALL_PREFIX}createProject`, 'v2m-app://app/index.html', { name: 'From IPC' });
    expect(created.ok).toBe(true);
    const id = (created as { result: { id: string } }).result.id;
    const recent = await ipc.invoke(`${IPC_CALL_PREFIX}listRecentProjects`, 'v2m-app://app/', {});
    expect((recent as { result: Array<{ id: string }> }).result.map((p) => p.id)).toEqual([id]);
  });

  it('validates inputs before the engine sees them', async () => {
    const bad = await ipc.invoke(`${IPC_CALL_PREFIX}createProject`, 'v2m-app://app/', { name: '' });
    expect(bad).toEqual({ ok: false, error: { name: 'InvalidInputError', message: 'createProject: name: project name is empty', code: 'INVALID_INPUT' } });
    const extra = await ipc.invoke(`${IPC_CALL_PREFIX}openProject`, 'v2m-app://app/', { projectId: 'x', admin: true });
    expect(extra.ok).toBe(false);
    const edit = await ipc.invoke(`${IPC_CALL_PREFIX}editRhythmPlan`, 'v2m-app://app/', { clipId: 'c', edit: { kind: 'setOdf', startIndex: 0, values: [2] } });
    expect(edit).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((edit as { error: { message: string } }).error.message).toMatch(/^editRhythmPlan: edit\.values\.0: /);
    expect(await ipc.invoke(`${IPC_CALL_PREFIX}appInfo`, 'v2m-app://app/', 'not an object')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses calls from frames that are not the app', async () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'v2m-app://other/', '']) {
      const r = await ipc.invoke(`${IPC_CALL_PREFIX}listRecentProjects`, url, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('carries engine errors with name, message and code, and the typed client rethrows them', async () => {
    const client = createIpcClient({
      invoke: (method, input) => ipc.invoke(IPC_CALL_PREFIX + method, 'v2m-app://app/', input),
      on: () => () => undefined,
    });
    const err = await client.api.openProject({ projectId: 'missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'StoreError', code: 'PROJECT_NOT_FOUND' });
    expect((err as Error).message).toMatch(/No project with id missing/);
    const p = await client.api.createProject({ name: 'Typed' });
    expect((await client.api.openProject({ projectId: p.id })).clips).toEqual([]);
  });

  it('forwards engine events to a window until it is destroyed', () => {
    const sent: unknown[][] = [];
    let destroyed = false;
    const stop = forwardEvents((l) => engine.subscribe(l), { send: (...a) => sent.push(a), isDestroyed: () => destroyed });
    const hub = (engine as unknown as { hub: { emit: (e: string, p: unknown) => void } }).hub;
    hub.emit('job:progress', { jobId: 'j', kind: 'analyze', stage: 'frames', fraction: 0.5 });
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'job:progress', { jobId: 'j', kind: 'analyze', stage: 'frames', fraction: 0.5 }]]);
    destroyed = true;
    hub.emit('job:done', { jobId: 'j', kind: 'analyze', result: null });
    hub.emit('job:done', { jobId: 'j', kind: 'analyze', result: null });
    expect(sent).toHaveLength(1);
    stop();
  });
});
