import type { SerializedError } from '../../shared/domain.ts';

/** What a job module exports: the work, given its input, a signal and a progress callback. */
export type JobFunction<I = unknown, R = unknown> = (input: I, ctx: JobContext) => Promise<R>;

export interface JobContext {
  signal: AbortSignal;
  /** `fraction` is 0..1 within the whole job. */
  progress(stage: string, fraction: number): void;
}

/** A kind of job: which module's export runs in the worker thread. */
export interface JobKind {
  name: string;
  module: URL;
  exportName: string;
}

export interface WorkerStart {
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

export type ToWorker = { type: 'cancel'; reason: string };

export type FromWorker =
  | { type: 'progress'; stage: string; fraction: number }
  /** A child process the job started, so the parent can kill it if the worker must be terminated. */
  | { type: 'child'; pid: number }
  | { type: 'childExit'; pid: number }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; cancelled: boolean; error: SerializedError };
