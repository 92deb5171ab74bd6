import { describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/api/engine.ts';
import { apiOverTransport, connectFromPage } from '../../../electron/shared/client.ts';
import { deserializeError, serializeError } from '../../../electron/shared/errors.ts';
import { apiInputSchemas, apiMethods, InvalidInputError, isApiMethod, parseApiInput } from '../../../electron/shared/schemas.ts';

describe('API contract', () => {
  it('has a schema for every operation the engine implements, and no others', () => {
    const engineMethods = Object.getOwnPropertyNames(Engine.prototype).filter(
      (m) => m !== 'constructor' && !['subscribe', 'waitForJob', 'close'].includes(m) && !m.startsWith('with') && !m.startsWith('try') && m !== 'analysisSummary',
    );
    expect([...apiMethods].sort()).toEqual(engineMethods.sort());
    expect(isApiMethod('appInfo')).toBe(true);
    expect(isApiMethod('constructor')).toBe(false);
    expect(isApiMethod('__proto__')).toBe(false);
  });

  it('accepts well-formed inputs and names the field that is wrong', () => {
    expect(parseApiInput('createProject', { name: '  Trip  ' })).toEqual({ name: 'Trip' });
    expect(parseApiInput('editRhythmPlan', { clipId: 'c-1', edit: { kind: 'lockTempo', bpm: 120 } })).toEqual({ clipId: 'c-1', edit: { kind: 'lockTempo', bpm: 120 } });
    expect(() => parseApiInput('editRhythmPlan', { clipId: 'c-1', edit: { kind: 'explode' } })).toThrow(InvalidInputError);
    expect(() => parseApiInput('moveCut' as never, {})).toThrow();
    expect(() => parseApiInput('importClip', { projectId: 'p', path: 'a\0b' })).toThrow(/importClip: path: path contains a NUL byte/);
    expect(() => parseApiInput('openProject', { projectId: '../../etc' })).toThrow(/openProject: projectId: id has unexpected characters/);
    expect(() => parseApiInput('editRhythmPlan', { clipId: 'c', edit: { kind: 'addCut', atSec: -1 } })).toThrow(/edit\.atSec: time must not be negative/);
    expect(() => parseApiInput('generate', { clipId: 'c', generator: 'composer', seed: 1.5 })).toThrow(/generate: seed/);
    expect(Object.keys(apiInputSchemas)).toEqual(apiMethods);
  });

  it('rebuilds transported errors as real Errors with name, message and code', async () => {
    const original = Object.assign(new Error('No clip with id x; import the video again.'), { name: 'StoreError', code: 'CLIP_NOT_FOUND' });
    const wire = JSON.parse(JSON.stringify(serializeError(original))) as ReturnType<typeof serializeError>;
    const back = deserializeError(wire);
    expect(back).toBeInstanceOf(Error);
    expect(back).toMatchObject({ name: 'StoreError', message: original.message, code: 'CLIP_NOT_FOUND' });
    const api = apiOverTransport(async () => ({ ok: false, error: wire }));
    await expect(api.getAnalysis({ clipId: 'x' })).rejects.toMatchObject({ name: 'StoreError', code: 'CLIP_NOT_FOUND' });
  });
});

describe('connectFromPage', () => {
  it('uses the preload bridge inside Electron', async () => {
    const calls: unknown[][] = [];
    const client = connectFromPage({
      v2m: { invoke: async (m, i) => (calls.push([m, i]), { ok: true, result: { appVersion: '9' } }), on: () => () => undefined },
      location: { origin: 'v2m-app://app', search: '' },
    });
    expect(await client.api.appInfo({})).toEqual({ appVersion: '9' });
    expect(calls).toEqual([['appInfo', {}]]);
  });

  it('uses the bridge with the token from the URL in a browser, and explains a missing token', async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization') });
      return new Response(JSON.stringify({ ok: true, result: [] }));
    }) as unknown as typeof fetch;
    const g = globalThis as { fetch: typeof fetch };
    const real = g.fetch;
    g.fetch = fakeFetch;
    try {
      const client = connectFromPage({ location: { origin: 'http://127.0.0.1:5000', search: '?token=abc' } });
      expect(await client.api.listRecentProjects({})).toEqual([]);
    } finally {
      g.fetch = real;
    }
    expect(seen).toEqual([{ url: 'http://127.0.0.1:5000/api/listRecentProjects', auth: 'Bearer abc' }]);
    expect(() => connectFromPage({ location: { origin: 'http://127.0.0.1:5000', search: '' } })).toThrow(/session token/);
  });
});
