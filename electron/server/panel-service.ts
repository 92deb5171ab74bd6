import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { V2mApi } from '../shared/api.ts';
import type { GenerationInfo } from '../shared/domain.ts';
import type {
  PanelJobState, PanelOpened, PanelOps, PanelPlacement, PanelRate, PanelSequence,
} from '../shared/panel-protocol.ts';
import { readWavInfo } from '../core/mastering/wav-reader.ts';
import { writeFileAtomic } from '../core/files/atomic-write.ts';
import type { EventSubscriber } from './bridge-server.ts';
import { placementMarkers } from './panel-markers.ts';
import { PanelError } from './panel-schemas.ts';
import { readSequenceFile } from './timeline-sequence.ts';
import { TimelineReadError } from '../core/timeline/editor-timeline.ts';
import { editPointFrames, framesToSec, offlineClips, offlineMessage, pictureFor, secToFrame } from './panel-sequence.ts';

// What the panels can ask for, built on the one API contract: open a sequence as a project,
// follow jobs, generate, and fetch what to place back. Transport-free, so the WebSocket, the
// HTTP route and the tests share it.

/** What the app remembers about a sequence a panel sent, so placement can map back to it. */
interface SequenceRecord {
  clipId: string;
  name: string;
  editor: PanelSequence['editor'];
  rate: PanelRate;
  durationFrames: number;
  editFrames: number[];
  markerFrames: number[];
}

export interface PanelServiceOptions {
  api: V2mApi;
  subscribe: EventSubscriber;
  /** Where sequence records are kept (the app's data folder). */
  dataDir: string;
  /** Reads an exported timeline file into a sequence (default: the engine's timeline readers). */
  readTimelineFile?: (file: string, editor: PanelSequence['editor']) => Promise<{ sequence: PanelSequence; warnings: string[] }>;
}

type Handler<O extends keyof PanelOps> = (input: PanelOps[O]['input']) => Promise<PanelOps[O]['result']>;
export type ServiceOps = { [O in Exclude<keyof PanelOps, 'pair' | 'auth' | 'status'>]: Handler<O> };

export class PanelService implements ServiceOps {
  private readonly jobs = new Map<string, PanelJobState>();
  /** Analysis jobs of sequences being opened: their plan is finished once edits are applied. */
  private readonly opening = new Map<string, { seq: PanelSequence; clipId: string }>();
  private readonly listeners = new Set<(state: PanelJobState) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: PanelServiceOptions) {
    this.unsubscribe = opts.subscribe((event, payload) => {
      const p = payload as { jobId: string; stage?: string; fraction?: number; result?: unknown; error?: { message: string } };
      if (event === 'job:progress') {
        this.publish({ jobId: p.jobId, state: 'running', stage: p.stage ?? '', fraction: p.fraction ?? 0 });
      } else if (event === 'job:failed') {
        this.opening.delete(p.jobId);
        this.publish({ jobId: p.jobId, state: 'failed', stage: 'failed', fraction: 1, error: p.error?.message ?? 'The job failed.' });
      } else if (event === 'job:done') {
        const open = this.opening.get(p.jobId);
        if (open) {
          this.opening.delete(p.jobId);
          this.publish({ jobId: p.jobId, state: 'running', stage: 'applying the sequence edits', fraction: 0.99 });
          this.applySequence(open.clipId, open.seq).then(
            () => this.publish({ jobId: p.jobId, state: 'done', stage: 'done', fraction: 1 }),
            (err: unknown) => this.publish({ jobId: p.jobId, state: 'failed', stage: 'failed', fraction: 1, error: (err as Error).message }),
          );
          return;
        }
        const gen = p.result as Partial<GenerationInfo> | null;
        const generationId = gen && typeof gen === 'object' && typeof gen.id === 'string' && Array.isArray(gen.files) ? gen.id : undefined;
        this.publish({ jobId: p.jobId, state: 'done', stage: 'done', fraction: 1, ...(generationId ? { generationId } : {}) });
      }
    });
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  /** Every job state change, for transports that push (the WebSocket). */
  onJob(listener: (state: PanelJobState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async openSequence(input: { sequence: PanelSequence }): Promise<PanelOpened> {
    const seq = input.sequence;
    const warnings: string[] = [];
    const missing = offlineClips(seq, existsSync);
    const picture = pictureFor(seq);
    if (missing.length > 0) {
      // With a rendered movie the picture is complete; without one a gap would be silent.
      if (picture.kind !== 'reference') throw new PanelError('OFFLINE_MEDIA', offlineMessage(seq, missing));
      warnings.push(offlineMessage(seq, missing));
    }
    if (picture.kind === 'none') throw new PanelError('NO_PICTURE', picture.reason);
    if (!existsSync(picture.path)) {
      throw new PanelError('NOT_FOUND', `The ${picture.kind === 'reference' ? 'reference movie' : 'source media'} ${picture.path} does not exist on this machine.`);
    }
    const api = this.opts.api;
    const project = await api.createProject({ name: seq.name });
    const clip = await api.importClip({ projectId: project.id, path: picture.path });
    const seqSec = framesToSec(seq.durationFrames, seq.rate);
    if (picture.kind === 'reference' && Math.abs(clip.probe.durationSec - seqSec) > Math.max(framesToSec(1, seq.rate), 0.05)) {
      throw new PanelError('NO_PICTURE', `The reference movie lasts ${clip.probe.durationSec.toFixed(2)} s but sequence "${seq.name}" lasts ${seqSec.toFixed(2)} s; export the whole sequence and choose that movie.`);
    }
    if (picture.kind === 'source' && clip.probe.durationSec > seqSec + 0.5) {
      warnings.push(`The music will cover the whole source file (${clip.probe.durationSec.toFixed(1)} s), which runs past the end of the sequence (${seqSec.toFixed(1)} s).`);
    }
    this.remember({
      clipId: clip.id, name: seq.name, editor: seq.editor, rate: seq.rate, durationFrames: seq.durationFrames,
      editFrames: editPointFrames(seq), markerFrames: seq.markers.map((m) => m.frame),
    });
    const job = await api.analyze({ clipId: clip.id });
    this.opening.set(job.jobId, { seq, clipId: clip.id });
    this.jobs.set(job.jobId, { jobId: job.jobId, state: 'running', stage: 'analysing', fraction: 0 });
    return { projectId: project.id, clipId: clip.id, jobId: job.jobId, warnings };
  }

  async openTimelineFile(input: PanelOps['openTimelineFile']['input']): Promise<PanelOpened> {
    if (!existsSync(input.path)) throw new PanelError('NOT_FOUND', `The exported timeline ${input.path} does not exist.`);
    const read = this.opts.readTimelineFile ?? readSequenceFile;
    let got: { sequence: PanelSequence; warnings: string[] };
    try {
      got = await read(input.path, input.editor);
    } catch (err) {
      // A script falls back to reading the timeline through the editor's API on this code.
      if (err instanceof TimelineReadError) throw new PanelError('BAD_TIMELINE', err.message);
      throw err;
    }
    const seq = input.referenceMovie ? { ...got.sequence, referenceMovie: input.referenceMovie } : got.sequence;
    const opened = await this.openSequence({ sequence: seq });
    return { ...opened, warnings: [...got.warnings, ...opened.warnings] };
  }

  async job(input: { jobId: string }): Promise<PanelJobState> {
    const state = this.jobs.get(input.jobId);
    if (!state) throw new PanelError('NOT_FOUND', `No job ${input.jobId} is known to V2M Studio (it may have finished before the app restarted).`);
    return state;
  }

  async generate(input: { clipId: string; seed?: number }): Promise<{ jobId: string }> {
    const ref = await this.opts.api.generate({ clipId: input.clipId, generator: 'composer', ...(input.seed !== undefined ? { seed: input.seed } : {}) });
    if (!this.jobs.has(ref.jobId)) this.jobs.set(ref.jobId, { jobId: ref.jobId, state: 'running', stage: 'starting', fraction: 0 });
    return { jobId: ref.jobId };
  }

  async placement(input: { clipId: string; generationId?: string }): Promise<PanelPlacement> {
    const api = this.opts.api;
    const gens = await api.listGenerations({ clipId: input.clipId });
    const gen = input.generationId ? gens.find((g) => g.id === input.generationId) : [...gens].sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!gen) {
      throw new PanelError('NO_GENERATION', input.generationId
        ? `Generation ${input.generationId} does not belong to this sequence's project.`
        : 'No music has been generated for this sequence yet: generate it in V2M Studio, then place it.');
    }
    const file = gen.files.find((f) => f.role === 'music') ?? gen.files.find((f) => f.role === 'mix');
    if (!file || !existsSync(file.path)) throw new PanelError('NOT_FOUND', 'The generated music file is missing (it may have been moved or deleted); generate again.');
    const record = this.recall(input.clipId);
    if (!record) throw new PanelError('NOT_FOUND', 'This V2M Studio clip was not sent from an editor panel, so its sequence is unknown: use Send sequence first (or export markers as a file).');
    const plan = await api.getRhythmPlan({ clipId: input.clipId });
    const wav = readWavInfo(file.path);
    const markers = plan
      ? placementMarkers(plan.plan, { rate: record.rate, durationFrames: record.durationFrames, editFrames: record.editFrames, sequenceMarkerFrames: record.markerFrames })
      : [];
    return {
      generationId: gen.id,
      musicPath: file.path,
      rate: record.rate,
      startFrame: 0,
      durationFrames: secToFrame(wav.frames / wav.sampleRate, record.rate),
      markers,
    };
  }

  private publish(state: PanelJobState): void {
    this.jobs.set(state.jobId, state);
    for (const l of this.listeners) l(state);
  }

  /** The sequence's edit points become cuts and its markers user accents, one undo step. */
  private async applySequence(clipId: string, seq: PanelSequence): Promise<void> {
    const api = this.opts.api;
    const state = await api.getRhythmPlan({ clipId });
    if (!state) throw new Error('The analysis finished without a rhythm plan.');
    const cutSecs = state.plan.cuts.map((c) => (typeof c === 'number' ? c : (c as { timeSec: number }).timeSec));
    const accentSecs = state.plan.accents.map((a) => (typeof a === 'number' ? a : (a as { timeSec: number }).timeSec));
    const oneFrame = framesToSec(1, seq.rate);
    const near = (list: number[], t: number): boolean => list.some((x) => Math.abs(x - t) < oneFrame);
    const edits = [
      ...editPointFrames(seq).map((f) => framesToSec(f, seq.rate)).filter((t) => !near(cutSecs, t)).map((atSec) => ({ kind: 'addCut' as const, atSec })),
      ...seq.markers.map((m) => framesToSec(m.frame, seq.rate)).filter((t) => !near(accentSecs, t)).map((atSec) => ({ kind: 'addAccent' as const, atSec })),
    ];
    if (edits.length > 0) await api.editRhythmPlan({ clipId, edit: { kind: 'batch', edits } });
  }

  private recordFile(clipId: string): string {
    return path.join(this.opts.dataDir, 'panel-sequences', `${clipId}.json`);
  }

  private remember(r: SequenceRecord): void {
    writeFileAtomic(this.recordFile(r.clipId), `${JSON.stringify(r)}\n`, { mode: 0o644, mkdir: true });
  }

  private recall(clipId: string): SequenceRecord | null {
    const file = this.recordFile(clipId);
    if (!existsSync(file)) return null;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as SequenceRecord;
    } catch {
      return null;
    }
  }
}
