// Applies rhythm-plan edits as fast as it can and acknowledges each committed one on stdout, until
// it is killed. Used by store-crash.test.ts; run as: node --import tsx store-crash-child.ts <db> <run>
import { writeSync } from 'node:fs';
import { ProjectStore } from '../../electron/core/store/index.ts';

const [file, runArg] = process.argv.slice(2);
const run = Number(runArg);
const store = ProjectStore.open(file!);
let clip = store.listRecentProjects(1)[0] ? store.listClips(store.listRecentProjects(1)[0]!.id)[0] : undefined;
if (!clip) {
  const p = store.createProject('Crash test');
  clip = store.addClip(p.id, {
    path: '/videos/crash.mp4', size: 1, mtimeMs: 0, contentHash: '0'.repeat(64),
    probe: { durationSec: 86_400, container: 'mp4', video: null, audio: null },
  });
  store.setBasePlan(clip.id, { cuts: [], accents: [], odf: new Array(60).fill(0), tempo: null }, 'crash-test');
}
writeSync(1, `clip ${clip.id}\n`);
for (let n = 0; ; n++) {
  // Unique per run and edit, exact in binary so the reader can compare times for equality.
  const atSec = run * 1024 + n / 8;
  store.applyEdit(clip.id, { kind: 'addAccent', atSec });
  if (n % 7 === 3) store.applyEdit(clip.id, { kind: 'setOdf', startIndex: n % 60, values: [((n % 10) + 1) / 10] }), store.undo(clip.id);
  writeSync(1, `ack ${atSec}\n`);
}
