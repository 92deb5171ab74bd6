import { ChildProcess } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../shared/errors.ts';
import type { FromWorker, JobFunction, ToWorker, WorkerStart } from './job-protocol.ts';

// Runs one job in this worker thread. The parent can cancel it (abort → the media layer kills
// its ffmpeg children); every child's pid is reported so the parent can still kill them if this
// thread is stuck and has to be terminated.

const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);
const start = workerData as WorkerStart;
const controller = new AbortController();

// `spawn` is an internal method of ChildProcess (not in its public type); it sets `pid`.
type Spawnable = { spawn(...args: unknown[]): unknown };
const proto = ChildProcess.prototype as unknown as Spawnable;
const originalSpawn = proto.spawn;
proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
  const r = originalSpawn.apply(this, args);
  const pid = this.pid;
  if (typeof pid === 'number') {
    post({ type: 'child', pid });
    this.once('exit', () => post({ type: 'childExit', pid }));
  }
  return r;
};

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') controller.abort(new Error(m.reason));
});

try {
  const mod = (await import(start.moduleUrl)) as Record<string, unknown>;
  const fn = mod[start.exportName];
  if (typeof fn !== 'function') throw new Error(`Job module ${start.moduleUrl} has no function "${start.exportName}".`);
  const result = await (fn as JobFunction)(start.input, {
    signal: controller.signal,
    progress: (stage, fraction) => post({ type: 'progress', stage, fraction: Math.min(1, Math.max(0, fraction)) }),
  });
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'failed', cancelled: controller.signal.aborted, error: serializeError(err) });
} finally {
  port.close();
}
