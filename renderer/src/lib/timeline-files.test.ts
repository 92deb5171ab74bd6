import { describe, expect, it } from 'vitest';
import { isTimelinePath, nameFromPath } from './timeline-files.ts';

describe('timeline file paths', () => {
  it('tells editor timelines from videos, bundles included', () => {
    for (const p of ['/e/Cut.fcpxml', '/e/Cut.fcpxmld/', 'C:\\e\\seq.XML', '/e/a.edl', '/e/b.otio']) expect(isTimelinePath(p), p).toBe(true);
    for (const p of ['/v/clip.mp4', '/v/clip.mov', '/v/.xml', '/v/fcpxml']) expect(isTimelinePath(p), p).toBe(false);
  });

  it('names a project after the file', () => {
    expect(nameFromPath('/e/My Cut.fcpxmld/')).toBe('My Cut');
    expect(nameFromPath('C:\\e\\seq.v2.xml')).toBe('seq.v2');
  });
});
