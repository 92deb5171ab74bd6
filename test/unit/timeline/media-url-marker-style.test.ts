import { describe, expect, it } from 'vitest';
import { baseName, kindFromMarker, markerName, pathToUrl, urlToPath } from '../../../electron/core/timeline/index.ts';

describe('media references', () => {
  it('turns editor URLs into local paths', () => {
    expect(urlToPath('file:///Volumes/Media/otio/IMG_0715.MOV')).toBe('/Volumes/Media/otio/IMG_0715.MOV');
    expect(urlToPath('file://localhost/D%3a/media/sc01.mov')).toBe('D:/media/sc01.mov');
    expect(urlToPath('file:///C:/clips/a%20b.mov')).toBe('C:/clips/a b.mov');
    expect(urlToPath('S:\\path\\to\\x.exr')).toBe('S:\\path\\to\\x.exr');
    expect(urlToPath('/plain/path.mov')).toBe('/plain/path.mov');
    expect(urlToPath('https://example.com/a.mov')).toBeNull();
    expect(urlToPath('file:///bad%zz.mov')).toBe('/bad%zz.mov');
    expect(urlToPath(null)).toBeNull();
  });
  it('writes file URLs that read back to the same path', () => {
    for (const p of ['/media/a b&c.mov', '/m/théme 🎵.wav', 'D:/clips/x y.mov']) expect(urlToPath(pathToUrl(p))).toBe(p);
    expect(pathToUrl('/media/a b.mov')).toBe('file:///media/a%20b.mov');
    expect(baseName('D:\\clips\\x.mov')).toBe('x.mov');
  });
});

describe('marker kinds in names and notes', () => {
  it('reads our tag, then our exact name form, else calls it a user marker', () => {
    expect(kindFromMarker('whatever', 'v2m:visual-beat:0.42')).toEqual({ kind: 'visual-beat', strength: 0.42 });
    expect(kindFromMarker('Accent 0.82', '')).toEqual({ kind: 'accent', strength: 0.82 });
    expect(kindFromMarker('Downbeat', '')).toEqual({ kind: 'downbeat' });
    expect(kindFromMarker('Cut here please', '')).toEqual({ kind: 'user' });
    expect(kindFromMarker('Marker 1', 'v2m:nonsense')).toEqual({ kind: 'user' });
    expect(markerName('visual-beat', 0.4)).toBe('Visual beat 0.40');
    expect(kindFromMarker(markerName('visual-beat', 0.4), '')).toEqual({ kind: 'visual-beat', strength: 0.4 });
  });
});
