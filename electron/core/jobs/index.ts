export { JobRunner, JobCancelledError, type EmitEvent, type JobRunnerOptions, type StartOptions } from './job-runner.ts';
export { ProgressThrottle, type ProgressUpdate } from './progress-throttle.ts';
export { builtInJobKinds } from './job-kinds.ts';
export type { JobContext, JobFunction, JobKind } from './job-protocol.ts';
