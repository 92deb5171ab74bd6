import type { V2mApi, V2mClient } from '../../../electron/shared/api.ts';
import type { ClipInfo, ProjectDetail, ProjectSummary } from '../../../electron/shared/domain.ts';
import { errorMessage } from './errors.ts';
import { nextJobStatus, startedJob, type JobStatus } from './job-status.ts';
import { hashFor, type Screen } from './screen-route.ts';

export type { Screen };

/** App-wide state: the connection, the open project, the screen and every job's progress. */
export class AppState {
  screen = $state<Screen>({ name: 'start' });
  recent = $state<ProjectSummary[]>([]);
  project = $state<ProjectDetail | null>(null);
  jobs = $state<Record<string, JobStatus>>({});
  error = $state<string | null>(null);
  /** Bumped on every navigation; the app shell routes on it. */
  nav = $state(0);
  private readonly waiters = new Map<string, (s: JobStatus) => void>();

  constructor(readonly client: V2mClient) {
    client.on('job:progress', (payload) => this.onJob({ type: 'progress', payload }));
    client.on('job:done', (payload) => this.onJob({ type: 'done', payload }));
    client.on('job:failed', (payload) => this.onJob({ type: 'failed', payload }));
  }

  get api(): V2mApi {
    return this.client.api;
  }

  private onJob(e: Parameters<typeof nextJobStatus>[1]): void {
    const next = nextJobStatus(this.jobs[e.payload.jobId], e);
    this.jobs[e.payload.jobId] = next;
    if (next.state !== 'running') {
      this.waiters.get(next.jobId)?.(next);
      this.waiters.delete(next.jobId);
    }
  }

  /** Registers a started job and resolves with its final status (done, failed or cancelled). */
  track(jobId: string, kind: string): Promise<JobStatus> {
    const known = this.jobs[jobId];
    if (known && known.state !== 'running') return Promise.resolve(known);
    if (!known) this.jobs[jobId] = startedJob(jobId, kind);
    return new Promise((resolve) => this.waiters.set(jobId, resolve));
  }

  async cancel(jobId: string): Promise<void> {
    try {
      await this.api.cancelJob({ jobId });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  async loadRecent(): Promise<void> {
    try {
      this.recent = await this.api.listRecentProjects({ limit: 20 });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  async openProject(projectId: string): Promise<ProjectDetail> {
    const p = await this.api.openProject({ projectId });
    this.project = p;
    return p;
  }

  clipById(clipId: string): ClipInfo | null {
    return this.project?.clips.find((c) => c.id === clipId) ?? null;
  }

  go(screen: Screen): void {
    const hash = hashFor(screen);
    if (location.hash !== hash) history.pushState(null, '', `${location.pathname}${location.search}${hash}`);
    this.nav++;
  }
}
