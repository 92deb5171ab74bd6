// Worker thread entry: renders its share of the synthesizer groups (see render.ts) so a long
// render uses a second core. Reports frames done; the raw files are read by the parent. For an
// effects bus it renders its one group dry and posts each chunk (dry frames and effect sends)
// instead, and waits when it is too far ahead of the bus.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSoundFont } from './soundfont.ts';
import { renderDryToBus, renderGroups, type SendSink, type SynthGroup } from './synth-group.ts';

interface SynthWorkerData {
  groups: SynthGroup[];
  frames: number;
  fadeFrames: number;
  soundFont?: string;
  /** Effects-bus mode: [0] = chunks the bus has consumed from this thread, written by the parent. */
  consumed?: SharedArrayBuffer;
  /** How many chunks of sends may wait for the bus before this thread pauses. */
  ahead?: number;
}

const d = workerData as SynthWorkerData;
const port = parentPort!;
const bank = await loadSoundFont(d.soundFont);
let pending = 0;
let posted = 0;
const consumed = d.consumed ? new Int32Array(d.consumed) : null;
const onFrames = (n: number) => {
  pending += n;
  if (pending >= 65536) {
    port.postMessage({ type: 'frames', n: pending });
    pending = 0;
  }
};
if (consumed) {
  const sink: SendSink = (dry, chunk, start) => {
    const transfer = [dry.buffer, chunk.reverb.buffer, chunk.chorus.buffer, ...(chunk.delay ? [chunk.delay.buffer] : [])] as ArrayBuffer[];
    port.postMessage({ type: 'sends', start, dry, chunk }, transfer);
    posted++;
    // Bounded memory: the bus (another thread) may be slower than this synthesizer.
    for (let seen = Atomics.load(consumed, 0); posted - seen > (d.ahead ?? 16); seen = Atomics.load(consumed, 0)) Atomics.wait(consumed, 0, seen);
  };
  if (d.groups.length !== 1) throw new RangeError('An effects bus takes one synthesizer per thread.');
  await renderDryToBus(d.groups[0]!.events, bank, d.frames, d.fadeFrames, sink, onFrames);
} else {
  await renderGroups(d.groups, bank, d.frames, d.fadeFrames, onFrames);
}
port.postMessage({ type: 'done', n: pending });
