import { describe, expect, it } from 'vitest';
import { hashFor, screenFromHash } from './screen-route.ts';

describe('routes in the URL hash', () => {
  it('round-trips the editor route and falls back to the start screen', () => {
    const s = { name: 'editor', projectId: 'p-1', clipId: 'c_2' } as const;
    expect(screenFromHash(hashFor(s))).toEqual(s);
    expect(screenFromHash('#/project/x/clip/../../etc')).toEqual({ name: 'start' });
    expect(screenFromHash('')).toEqual({ name: 'start' });
  });
});
