/** Worker-thread entry: runs the per-frame analysers off the main thread (see frame-sink.ts). */
import { parentPort } from 'node:worker_threads';
import { FrameAnalyser } from './frame-analyser.ts';
import type { WorkerRequest, WorkerReply } from './worker-protocol.ts';

if (!parentPort) throw new Error('analysis-worker.ts must run in a worker thread.');
const port = parentPort;
let analyser: FrameAnalyser | undefined;

function reply(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

port.on('message', (msg: WorkerRequest) => {
  try {
    if (msg.type === 'init') {
      analyser = new FrameAnalyser(msg.config);
      reply({ type: 'ready' });
    } else if (msg.type === 'frame') {
      if (!analyser) throw new Error('analysis worker got a frame before init');
      analyser.push(msg.index, msg.ptsSec, new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      reply({ type: 'ack', index: msg.index });
    } else if (msg.type === 'sample') {
      if (!analyser) throw new Error('analysis worker got a sample before init');
      analyser.pushSample(msg.ptsSec, new Uint8Array(msg.buffer, msg.byteOffset, msg.length), msg.side);
    } else if (msg.type === 'finish') {
      if (!analyser) throw new Error('analysis worker got finish before init');
      const r = analyser.finish();
      analyser = undefined;
      reply({ type: 'result', result: r }, [r.frameTimes.buffer, r.lumaDiffs.buffer, r.contentValues.buffer, r.sampleTimes.buffer, r.histograms.buffer] as ArrayBuffer[]);
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply({ type: 'error', message: e.message, stack: e.stack ?? '' });
  }
});
