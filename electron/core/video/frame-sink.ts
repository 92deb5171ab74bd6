import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../jobs/ts-worker.ts';
import { analyserInputBytes, FrameAnalyser, type FrameAnalyserConfig, type FrameAnalysisResult } from './frame-analyser.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

let liveWorkers = 0;

/** Analysis worker threads now running (tests assert none survive an analysis). */
export function liveAnalysisWorkerCount(): number {
  return liveWorkers;
}

/** Where the decoded analysis frames go. `push` resolves when there is room for another frame. */
export interface FrameSink {
  push(index: number, ptsSec: number, bgr: Uint8Array): Promise<void>;
  /** A colour sample (full-resolution centre square, BGR); samples are few, so not back-pressured. */
  pushSample(ptsSec: number, square: Uint8Array, side: number): void;
  finish(): Promise<FrameAnalysisResult>;
  /** Stops the work at once (idempotent); pending calls reject. */
  close(): Promise<void>;
}

/** Runs the analysers on the calling thread (small clips, debugging). */
export function inlineFrameSink(config: FrameAnalyserConfig): FrameSink {
  const a = new FrameAnalyser(config);
  return {
    push: async (i, t, bgr) => a.push(i, t, bgr),
    pushSample: (t, square, side) => a.pushSample(t, square, side),
    finish: async () => a.finish(),
    close: async () => undefined,
  };
}

/** Bytes of frames allowed to queue for the worker: absorbs the time the 1-fps histograms take. */
export const IN_FLIGHT_BYTES = 64 * 1024 * 1024;

/** Frames in flight for frames of this many bytes: the byte budget, at least 2, at most 32. */
function framesInBudget(frameBytes: number): number {
  return Math.max(2, Math.min(32, Math.floor(IN_FLIGHT_BYTES / Math.max(1, frameBytes))));
}

/** Frames in flight for whole BGR frames of a size. */
export function maxFramesInFlight(width: number, height: number): number {
  return framesInBudget(width * height * 3);
}

/** Frames in flight for what the analyser receives: the gathered pixels, not whole frames. */
function framesInFlightFor(config: FrameAnalyserConfig): number {
  return framesInBudget(analyserInputBytes(config.width, config.height));
}

/**
 * Runs the analysers in a worker thread. Frame buffers are transferred, not copied; at most
 * `maxInFlight` frames wait in the worker, which bounds memory (and makes ffmpeg wait on its pipe
 * when analysis is the slower side).
 */
export async function workerFrameSink(config: FrameAnalyserConfig, maxInFlight = framesInFlightFor(config)): Promise<FrameSink> {
  const worker = startAnalysisWorker();
  liveWorkers++;
  let failure: Error | undefined;
  let inFlight = 0;
  let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let result: { resolve: (r: FrameAnalysisResult) => void; reject: (e: Error) => void } | undefined;
  let ready: { resolve: () => void; reject: (e: Error) => void } | undefined;
  let closed = false;

  const fail = (err: Error): void => {
    if (failure) return;
    failure = err;
    for (const w of waiters) w.reject(err);
    waiters = [];
    result?.reject(err);
    ready?.reject(err);
  };
  const wakeOne = (): void => {
    const w = waiters.shift();
    w?.resolve();
  };

  worker.on('message', (msg: WorkerReply) => {
    if (msg.type === 'ready') ready?.resolve();
    else if (msg.type === 'ack') {
      inFlight--;
      wakeOne();
    } else if (msg.type === 'result') result?.resolve(msg.result);
    else if (msg.type === 'error') {
      const e = new Error(`Video analysis failed: ${msg.message}`);
      e.stack = msg.stack;
      fail(e);
    }
  });
  worker.on('error', (err) => fail(err instanceof Error ? err : new Error(String(err))));
  worker.on('exit', (code) => {
    liveWorkers--;
    if (!closed) fail(new Error(`The video analysis worker stopped unexpectedly (exit code ${code}).`));
  });

  const post = (msg: WorkerRequest, transfer: ArrayBuffer[] = []) => worker.postMessage(msg, transfer);

  await new Promise<void>((resolve, reject) => {
    ready = { resolve, reject };
    if (failure) reject(failure);
    post({ type: 'init', config });
  }).catch(async (err) => {
    closed = true;
    await worker.terminate();
    throw err;
  });

  // Transfer the bytes' own buffer when they fill it; otherwise move a copy.
  const movable = (bytes: Uint8Array): ArrayBuffer => {
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    return own ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  };

  return {
    async push(index, ptsSec, bgr) {
      if (failure) throw failure;
      if (closed) throw new Error('The video analysis worker was closed.');
      const buffer = movable(bgr);
      inFlight++;
      post({ type: 'frame', index, ptsSec, buffer, byteOffset: 0, length: bgr.byteLength }, [buffer]);
      if (inFlight >= maxInFlight) await new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    pushSample(ptsSec, square, side) {
      if (failure) throw failure;
      if (closed) throw new Error('The video analysis worker was closed.');
      const buffer = movable(square);
      post({ type: 'sample', ptsSec, side, buffer, byteOffset: 0, length: square.byteLength }, [buffer]);
    },
    async finish() {
      if (failure) throw failure;
      const r = await new Promise<FrameAnalysisResult>((resolve, reject) => {
        result = { resolve, reject };
        post({ type: 'finish' });
      });
      closed = true;
      await worker.terminate();
      return r;
    },
    async close() {
      if (closed) return;
      closed = true;
      fail(new Error('Video analysis was stopped.'));
      await worker.terminate();
    },
  };
}

/** Starts analysis-worker.ts (through tsx when running from source). */
function startAnalysisWorker(): Worker {
  const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
  return startTsWorker(new URL(`./analysis-worker.${ext}`, import.meta.url));
}
