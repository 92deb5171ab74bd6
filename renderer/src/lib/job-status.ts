// Folds the engine's job events into one status per job. Pure, so the progress UI's rules
// (a late progress event never revives a finished job) are tested without a browser.
import type { JobDoneEvent, JobFailedEvent, JobProgressEvent } from '../../../electron/shared/events.ts';

export interface JobStatus {
  jobId: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  stage: string;
  fraction: number;
  error: string | null;
  result: unknown;
}

export type JobEvent =
  | { type: 'progress'; payload: JobProgressEvent }
  | { type: 'done'; payload: JobDoneEvent }
  | { type: 'failed'; payload: JobFailedEvent };

export function startedJob(jobId: string, kind: string): JobStatus {
  return { jobId, kind, state: 'running', stage: 'starting', fraction: 0, error: null, result: undefined };
}

export function nextJobStatus(prev: JobStatus | undefined, e: JobEvent): JobStatus {
  const base = prev ?? startedJob(e.payload.jobId, e.payload.kind);
  if (base.state !== 'running') return base;
  switch (e.type) {
    case 'progress':
      return { ...base, stage: e.payload.stage, fraction: Math.max(base.fraction, Math.min(1, Math.max(0, e.payload.fraction))) };
    case 'done':
      return { ...base, state: 'done', stage: 'done', fraction: 1, result: e.payload.result };
    case 'failed':
      return { ...base, state: e.payload.cancelled ? 'cancelled' : 'failed', error: e.payload.cancelled ? null : e.payload.error.message };
  }
}

/** "Decoding frames — 42 %" for the progress label. */
export function describeJob(s: JobStatus): string {
  if (s.state === 'done') return 'Finished';
  if (s.state === 'cancelled') return 'Cancelled';
  if (s.state === 'failed') return `Failed: ${s.error ?? 'unknown error'}`;
  const stage = s.stage.replace(/[-_]/g, ' ');
  return `${stage.charAt(0).toUpperCase()}${stage.slice(1)} — ${Math.round(s.fraction * 100)} %`;
}
