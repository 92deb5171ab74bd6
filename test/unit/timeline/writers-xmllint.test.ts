import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTimelineText, writeInterchange, type TimelineMarker } from '../../../electron/core/timeline/index.ts';

// Apple's FCPXML DTD is not on this machine (nor downloadable here), so this checks
// well-formedness only, with libxml2's xmllint (apt: libxml2-utils) when it is installed.
const xmllint = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;
if (!xmllint) console.warn('[xmllint] not installed (apt-get install libxml2-utils); skipping the well-formedness check');
const dir = mkdtempSync(path.join(tmpdir(), 'v2m-xmllint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const awkward = 'Tom & Jerry <"cut"> \'é\' 🎵';
const markers: TimelineMarker[] = [
  { frame: 12, durationFrames: 0, name: awkward, note: 'a & b', color: 'yellow', kind: 'accent', strength: 0.5 },
  { frame: 40, durationFrames: 2, name: 'Downbeat', note: '', color: 'purple', kind: 'downbeat' },
];
const input = {
  timeline: null, markers,
  music: { path: '/music/Tom & Jerry/théme.wav', durationSec: 3 },
  video: { path: '/media/a <b>.mov', name: awkward, fps: 25, durationSec: 4 },
};

describe.skipIf(!xmllint)('XML writers are well-formed (xmllint) and escape every name', () => {
  for (const [format, version] of [['fcpxml', '1.8'], ['fcpxml', '1.9'], ['fcpxml', '1.10'], ['fcpxml', '1.11'], ['xmeml', undefined]] as const) {
    it(`${format}${version ? ` ${version}` : ''}`, () => {
      const text = writeInterchange(format, { ...input, ...(version ? { fcpxmlVersion: version } : {}) });
      const file = path.join(dir, `w-${format}-${version ?? 'x'}.xml`);
      writeFileSync(file, text);
      const r = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const back = parseTimelineText(text, file).timeline;
      expect(back.markers.map((m) => [m.frame, m.name])).toEqual([[12, awkward], [40, 'Downbeat']]);
      expect(back.markers[0]!.note).toBe('a & b');
    });
  }
});
