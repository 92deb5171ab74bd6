import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { JobRef, SerializedError } from '../../shared/domain.ts';
import { deserializeError, serializeError } from '../../shared/errors.ts';
import type { V2mEventName, V2mEvents } from '../../shared/events.ts';
import type { FromWorker, JobKind, ToWorker, WorkerStart } from './job-protocol.ts';
import { ProgressThrottle } from './progress-throttle.ts';
import { startTsWorker } from './ts-worker.ts';

export type EmitEvent = <E extends V2mEventName>(event: E, payload: V2mEvents[E]) => void;

export interface JobRunnerOptions {
  kinds: readonly JobKind[];
  emit: EmitEvent;
  /** Minimum gap between progress events of one job (100 ms = at most 10 per second). */
  progressIntervalMs?: number;
  /** How long a cancelled job may take to stop by itself before its thread is terminated. */
  cancelGraceMs?: number;
}

export interface StartOptions {
  /**
   * Runs on this thread with the worker's result before "done" is announced (e.g. to save it);
   * its return value is what the event and `wait` carry.
   */
  onResult?: (result: unknown) => unknown;
}

interface RunningJob {
  ref: JobRef;
  worker: Worker;
  children: Set<number>;
  throttle: ProgressThrottle;
  settled: Promise<unknown>;
  cancelRequested: boolean;
  graceTimer: ReturnType<typeof setTimeout> | null;
}

export class JobCancelledError extends Error {
  readonly code = 'CANCELLED';
  constructor(kind: string) {
    super(`The ${kind} job was cancelled.`);
    this.name = 'AbortError';
  }
}

/** Guards against pid reuse: on Linux, only kill a pid whose parent is still this process. */
function isOurChild(pid: number): boolean {
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]) === process.pid && fields[0] !== 'Z';
  } catch {
    return false;
  }
}

// The worker entry is built next to this file (.js in out/, .ts from source).
const workerUrl = new URL(`./job-worker.${import.meta.url.endsWith('.js') ? 'js' : 'ts'}`, import.meta.url);

/**
 * Runs jobs in worker threads, one thread per job, and turns what they report into
 * `job:progress` / `job:done` / `job:failed` events.
 */
export class JobRunner {
  private readonly kinds = new Map<string, JobKind>();
  private readonly jobs = new Map<string, RunningJob>();
  private readonly emit: EmitEvent;
  private readonly progressIntervalMs: number;
  private readonly cancelGraceMs: number;

  constructor(opts: JobRunnerOptions) {
    for (const k of opts.kinds) this.kinds.set(k.name, k);
    this.emit = opts.emit;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.cancelGraceMs = opts.cancelGraceMs ?? 600;
  }

  hasKind(name: string): boolean {
    return this.kinds.has(name);
  }

  get running(): JobRef[] {
    return [...this.jobs.values()].map((j) => j.ref);
  }

  start(kindName: string, input: unknown, opts: StartOptions = {}): JobRef {
    const kind = this.kinds.get(kindName);
    if (!kind) throw new Error(`No job of kind "${kindName}" is available in this build.`);
    const ref: JobRef = { jobId: randomUUID(), kind: kind.name };
    const start: WorkerStart = { moduleUrl: kind.module.href, exportName: kind.exportName, input };
    const worker = startTsWorker(workerUrl, { workerData: start });
    const throttle = new ProgressThrottle(
      (u) => this.emit('job:progress', { jobId: ref.jobId, kind: ref.kind, stage: u.stage, fraction: u.fraction }),
      this.progressIntervalMs,
    );
    const job: RunningJob = { ref, worker, children: new Set(), throttle, settled: Promise.resolve(), cancelRequested: false, graceTimer: null };

    job.settled = new Promise<unknown>((resolve, reject) => {
      let finished = false;
      const finish = (outcome: { ok: true; result: unknown } | { ok: false; error: SerializedError; cancelled: boolean }): void => {
        if (finished) return;
        finished = true;
        throttle.stop();
        if (job.graceTimer) clearTimeout(job.graceTimer);
        this.jobs.delete(ref.jobId);
        this.killChildren(job);
        void worker.terminate();
        if (outcome.ok) {
          let result: unknown;
          try {
            result = opts.onResult ? opts.onResult(outcome.result) : outcome.result;
          } catch (err) {
            return finish2({ error: serializeError(err), cancelled: false });
          }
          this.emit('job:done', { jobId: ref.jobId, kind: ref.kind, result });
          resolve(result);
        } else finish2(outcome);
      };
      const finish2 = (o: { error: SerializedError; cancelled: boolean }): void => {
        const error = o.cancelled ? serializeError(new JobCancelledError(ref.kind)) : o.error;
        this.emit('job:failed', { jobId: ref.jobId, kind: ref.kind, cancelled: o.cancelled, error });
        reject(deserializeError(error));
      };

      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'progress':
            if (!job.cancelRequested) throttle.push({ stage: m.stage, fraction: m.fraction });
            return;
          case 'child':
            job.children.add(m.pid);
            return;
          case 'childExit':
            job.children.delete(m.pid);
            return;
          case 'done':
            return job.cancelRequested
              ? finish({ ok: false, cancelled: true, error: serializeError(new JobCancelledError(ref.kind)) })
              : finish({ ok: true, result: m.result });
          case 'failed':
            return finish({ ok: false, cancelled: m.cancelled || job.cancelRequested, error: m.error });
        }
      });
      worker.on('error', (err) => finish({ ok: false, cancelled: job.cancelRequested, error: serializeError(err) }));
      worker.on('exit', (code) => {
        finish({
          ok: false,
          cancelled: job.cancelRequested,
          error: { name: 'Error', message: `The ${ref.kind} job stopped unexpectedly (worker exit code ${code}).`, code: 'JOB_CRASHED' },
        });
      });
    });
    // Callers that only follow events must not see an unhandled rejection.
    job.settled.catch(() => undefined);
    this.jobs.set(ref.jobId, job);
    return ref;
  }

  /** Resolves with the job's result (after `onResult`), rejects with its error or on cancel. */
  wait(jobId: string): Promise<unknown> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`No running job ${jobId}.`));
    return job.settled;
  }

  /**
   * Asks the job to stop; if it has not stopped within the grace period its thread is terminated
   * and the child processes it started are killed. False when no such job is running.
   */
  cancel(jobId: string, reason = 'Cancelled by the user'): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.cancelRequested) return job !== undefined;
    job.cancelRequested = true;
    job.throttle.stop();
    job.worker.postMessage({ type: 'cancel', reason } satisfies ToWorker);
    job.graceTimer = setTimeout(() => {
      this.killChildren(job);
      void job.worker.terminate();
    }, this.cancelGraceMs);
    return true;
  }

  /** Cancels everything and waits until all jobs have stopped (app shutdown). */
  async close(): Promise<void> {
    const pending = [...this.jobs.values()];
    for (const j of pending) this.cancel(j.ref.jobId, 'The app is closing');
    await Promise.allSettled(pending.map((j) => j.settled));
  }

  /** Kills the job's children that have not reported their exit (a stuck or terminated thread). */
  private killChildren(job: RunningJob): void {
    for (const pid of job.children) {
      if (!isOurChild(pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    job.children.clear();
  }
}
