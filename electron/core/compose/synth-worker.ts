// Worker thread entry: renders its share of the synthesizer groups (see render.ts) so a long
// render uses a second core. Reports frames done; the raw files are read by the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSoundFont } from './soundfont.ts';
import { renderGroups, type SynthGroup } from './synth-group.ts';

interface SynthWorkerData {
  groups: SynthGroup[];
  frames: number;
  fadeFrames: number;
  soundFont?: string;
}

const d = workerData as SynthWorkerData;
const port = parentPort!;
const bank = await loadSoundFont(d.soundFont);
let pending = 0;
await renderGroups(d.groups, bank, d.frames, d.fadeFrames, (n) => {
  pending += n;
  if (pending >= 65536) {
    port.postMessage({ type: 'frames', n: pending });
    pending = 0;
  }
});
port.postMessage({ type: 'done', n: pending });
