import type { SerializedError } from './domain.ts';

export interface JobProgressEvent {
  jobId: string;
  kind: string;
  stage: string;
  /** 0..1 within the whole job. */
  fraction: number;
}

export interface JobDoneEvent {
  jobId: string;
  kind: string;
  result: unknown;
}

export interface JobFailedEvent {
  jobId: string;
  kind: string;
  /** true when the job stopped because it was cancelled. */
  cancelled: boolean;
  error: SerializedError;
}

/** Everything the engine pushes to the UI. Progress arrives at most 10 times a second per job. */
export interface V2mEvents {
  'job:progress': JobProgressEvent;
  'job:done': JobDoneEvent;
  'job:failed': JobFailedEvent;
}

export type V2mEventName = keyof V2mEvents;
export const eventNames: readonly V2mEventName[] = ['job:progress', 'job:done', 'job:failed'];

export type V2mEventListener<E extends V2mEventName> = (payload: V2mEvents[E]) => void;
