import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { V2mApi } from '../../shared/api.ts';
import type {
  AppInfo, ClipInfo, ExportKind, GenerationInfo, JobRef, MusicTrackInfo, NewProjectImport, PlannerOption, ProjectDeleted, ProjectDeletionPreview,
  ProjectDetail, RhythmPlanState, TimelineImportInfo, Waveform,
} from '../../shared/domain.ts';
import { deletionFiles, isInside, projectNameFromPath, removeFiles } from './project-files.ts';
import { wavPeaks } from '../mastering/wav-peaks.ts';

const EXPORT_KINDS: readonly ExportKind[] = ['mp4', 'wav', 'stems', 'midi', 'markers', 'fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio'];
import { JobRunner, builtInJobKinds, type JobKind } from '../jobs/index.ts';
import { probe } from '../media/index.ts';
import { describeMusic } from '../remix/music-info.ts';
import { RemixError } from '../remix/remix-error.ts';
import { onnxRuntimeInfo } from '../models/runtime-info.ts';
import { listPacks } from '../models/pack-discovery.ts';
import { BUILT_IN_PLANNER, neuralPlanPlanner, plannerOptions } from '../models/planner-options.ts';
import type { RhythmPredictJobInput, RhythmPredictJobResult } from '../models/rhythm-predict-job.ts';
import { ProjectStore, type ClipRecord, type GenerationRecord, type TimelineImportRecord } from '../store/index.ts';
import { editPoints, formatRate, framesToSeconds, rateToFps, readTimelineFile, type EditorTimeline } from '../timeline/index.ts';
import type { ConformJobResult } from '../jobs/kinds/conform-job.ts';
import type { VideoAnalysis } from '../video/video-analysis.ts';
import { planFromAnalysis, toTimelinePlan, type RhythmPlan as FullRhythmPlan } from '../rhythm/index.ts';
import type { WaveformPeaks } from '../video/waveform-peaks.ts';
import { clipProbe } from '../jobs/kinds/clip-probe.ts';
import { checkGeneratorParams, GENERATOR_NAMES, isGeneratorName } from '../generation/generator-params.ts';
import type { GenerateJobInput } from '../generation/generate-job.ts';
import type { MeasureSyncJobInput } from '../generation/measure-sync-job.ts';
import type { StoredAnalysis } from '../generation/music-generator.ts';
import {
  ANALYSER_VERSION, analysisParts, decodePart, filmstripForUi, waveformForUi, type StoredFilmstrip,
} from './analysis-parts.ts';
import { appInfo } from './app-info.ts';
import { contentHash } from '../files/content-hash.ts';
import { EventHub, type AnyEventListener } from './event-hub.ts';
import { MediaRegistry } from './media-registry.ts';
import { checkReference, conformSegments, mainTrackMedia, planForTimeline, relinkByName } from './timeline-import.ts';

export interface EngineOptions {
  /** Library database file. */
  libraryFile: string;
  transport: AppInfo['transport'];
  /** How this transport addresses a registered media id (bridge: /media/<id>?token=…). */
  mediaUrl: (mediaId: string) => string;
  /** better-sqlite3 build for this runtime when it is not Node's (Electron in development). */
  sqliteBinding?: string | undefined;
  /** Job kinds; defaults to the built-in ones. */
  jobKinds?: readonly JobKind[];
}

/** A user-facing error with a code transports can map (e.g. to HTTP 404). */
/** Generated music lives next to the library, so a project's files travel with it. */
function generationsDirFor(libraryFile: string): string {
  return path.join(path.dirname(path.resolve(libraryFile)), 'generations');
}

/** Pictures built from imported timelines (conforms) live next to the library too. */
function conformsDirFor(libraryFile: string): string {
  return path.join(path.dirname(path.resolve(libraryFile)), 'conforms');
}

/** The planner's plan; a timeline's picture gets the timeline's edit points and markers. */
function plannedFor(store: ProjectStore, clip: ClipRecord, analysis: VideoAnalysis): FullRhythmPlan {
  const tl = store.timelineImportForClip(clip.id);
  return tl ? planForTimeline(analysis, tl.timeline as EditorTimeline) : planFromAnalysis(analysis);
}

/** What the UI is told about an imported timeline. */
function timelineInfo(rec: TimelineImportRecord, job: JobRef | null, extraWarnings: string[] = []): TimelineImportInfo {
  const t = rec.timeline as EditorTimeline;
  const media = mainTrackMedia(t);
  return {
    importId: rec.id,
    projectId: rec.projectId,
    path: rec.path,
    format: rec.format,
    name: t.name,
    fps: rateToFps(t.rate),
    fpsRational: formatRate(t.rate),
    dropFrame: t.dropFrame,
    durationSec: framesToSeconds(t.durationFrames, t.rate),
    editPoints: editPoints(t).length,
    markers: t.markers.length,
    clips: t.videoTracks[0]?.clips.length ?? 0,
    media,
    missing: media.filter((m) => !m.found),
    warnings: [...rec.warnings, ...extraWarnings],
    clipId: rec.clipId,
    job,
  };
}

/** One export folder per project next to the library, created when first asked for. */
function exportFolderFor(libraryFile: string, project: { id: string; name: string }): string {
  const safe = project.name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').replace(/^[ .]+|[ .]+$/g, '').slice(0, 80) || 'project';
  const dir = path.join(path.dirname(path.resolve(libraryFile)), 'exports', `${safe}-${project.id.slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export class EngineError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

/**
 * The engine side of the contract: one object that every transport (IPC, bridge, tests)
 * calls. It owns the store, the job runner and the registry of media the UI may load.
 */
export class Engine implements V2mApi {
  readonly media = new MediaRegistry();
  private readonly hub = new EventHub();
  private readonly store: ProjectStore;
  private readonly jobs: JobRunner;
  /** Waveform pyramids of generated music, by file and its size and time (built on first ask). */
  private readonly musicWaveforms = new Map<string, Waveform>();
  /** Sync measurements in flight, by generation. */
  private readonly measuring = new Map<string, JobRef>();
  /** Which project each started job works for, so a project is not deleted under a running job. */
  private readonly jobProjects = new Map<string, string>();
  private info: Promise<AppInfo> | null = null;

  constructor(private readonly opts: EngineOptions) {
    this.store = ProjectStore.open(opts.libraryFile, opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {});
    this.jobs = new JobRunner({ kinds: opts.jobKinds ?? builtInJobKinds, emit: (e, p) => this.hub.emit(e, p) });
  }

  subscribe(listener: AnyEventListener): () => void {
    return this.hub.subscribe(listener);
  }

  /** Waits for a job started through this engine (tests and the CLI). */
  waitForJob(jobId: string): Promise<unknown> {
    return this.jobs.wait(jobId);
  }

  async close(): Promise<void> {
    await this.jobs.close();
    this.store.close();
  }

  async appInfo(): Promise<AppInfo> {
    this.info ??= appInfo(this.opts.transport).then((i) => ({ ...i, exportKinds: EXPORT_KINDS.filter((k) => this.jobs.hasKind(`export-${k}`)) }));
    return this.info;
  }

  // ---- projects and clips ----

  async createProject(input: { name: string }) {
    return this.store.createProject(input.name);
  }

  async openProject(input: { projectId: string }): Promise<ProjectDetail> {
    const project = this.store.openProject(input.projectId);
    // Only the open project's media may be served.
    this.media.clear();
    const clips = this.store.listClips(project.id).map((c) => this.withMedia(c));
    return { ...project, clips, exportFolder: exportFolderFor(this.opts.libraryFile, project) };
  }

  async renameProject(input: { projectId: string; name: string }) {
    return this.store.renameProject(input.projectId, input.name.trim());
  }

  async importIntoNewProject(input: Parameters<V2mApi['importIntoNewProject']>[0]): Promise<NewProjectImport> {
    const project = this.store.createProject(input.name?.trim() || projectNameFromPath(input.path));
    try {
      if (input.kind === 'timeline') return { project, clip: null, timeline: await this.importTimeline({ projectId: project.id, path: input.path }) };
      return { project, clip: await this.importClip({ projectId: project.id, path: input.path }), timeline: null };
    } catch (err) {
      // Nothing was made for it yet (no job, no files): the project goes with the failed import.
      this.store.deleteProject(project.id);
      throw err;
    }
  }

  async previewProjectDeletion(input: { projectId: string }): Promise<ProjectDeletionPreview> {
    const project = this.store.getProject(input.projectId);
    const clips = this.store.listClips(project.id);
    const generations = clips.flatMap((c) => this.store.listGenerations(c.id));
    const exports = this.store.listExports(project.id);
    const conformDirs = this.store.timelineImportIds(project.id).map((id) => path.join(conformsDirFor(this.opts.libraryFile), id));
    const files = generations.flatMap((g) => g.files.map((f) => f.path));
    const plan = deletionFiles({
      generatedFiles: files, generationsDir: generationsDirFor(this.opts.libraryFile), conformDirs,
      clipPaths: clips.map((c) => c.path), exportPaths: exports.map((e) => e.path),
    });
    return {
      project,
      clips: clips.map((c) => ({ id: c.id, path: c.path })),
      generations: generations.map((g) => ({ id: g.id, clipId: g.clipId, generator: g.generator, createdAt: g.createdAt, files: g.files.map((f) => f.path) })),
      exports: exports.map((e) => ({ id: e.id, kind: e.kind, path: e.path, createdAt: e.createdAt })),
      removes: plan.removes,
      keeps: plan.keeps,
      runningJobs: this.runningJobsOf(project.id),
    };
  }

  async deleteProject(input: { projectId: string }): Promise<ProjectDeleted> {
    const preview = await this.previewProjectDeletion(input);
    const n = preview.runningJobs;
    if (n > 0) throw new EngineError('PROJECT_BUSY', `"${preview.project.name}" has ${n} job${n === 1 ? '' : 's'} running (analysis, generation, export or a timeline picture); cancel ${n === 1 ? 'it' : 'them'} or wait, then delete.`);
    // The records go first, in one transaction: a file left by a crash is litter, never a dangling record.
    this.store.deleteProject(preview.project.id);
    const notRemoved = removeFiles(preview.removes);
    return { projectId: preview.project.id, removedFiles: preview.removes.length - notRemoved.length, notRemoved };
  }

  /** Running jobs started for a project (a field, not a method: the API is the methods). */
  private readonly runningJobsOf = (projectId: string): number => {
    const live = new Set(this.jobs.running.map((r) => r.jobId));
    for (const id of this.jobProjects.keys()) if (!live.has(id)) this.jobProjects.delete(id);
    return [...this.jobProjects.values()].filter((p) => p === projectId).length;
  };

  private readonly owned = (projectId: string, ref: JobRef): JobRef => {
    this.jobProjects.set(ref.jobId, projectId);
    return ref;
  };

  async listRecentProjects(input: { limit?: number }) {
    return this.store.listRecentProjects(input.limit ?? 20);
  }

  async importClip(input: { projectId: string; path: string }): Promise<ClipInfo> {
    if (!path.isAbsolute(input.path)) throw new EngineError('INVALID_PATH', `Give the full path of the video, not a relative one ("${input.path}").`);
    this.store.getProject(input.projectId);
    const info = await probe(input.path);
    if (!info.video) throw new EngineError('NO_VIDEO', `${input.path} has no video stream; import a video file.`);
    const st = statSync(input.path);
    const hash = await contentHash(input.path);
    const clip = this.store.addClip(input.projectId, { path: input.path, size: st.size, mtimeMs: st.mtimeMs, contentHash: hash, probe: clipProbe(info) });
    return this.withMedia(clip);
  }

  // ---- analysis ----

  async analyze(input: { clipId: string }): Promise<JobRef> {
    const clip = this.store.getClip(input.clipId);
    const cached = this.store.getAnalysis(clip.contentHash, 'video', ANALYSER_VERSION);
    if (cached) {
      // Same bytes analysed for another clip (another project, or a timeline's reference movie):
      // this clip still needs its own base plan.
      if (!this.store.getPlan(clip.id)) {
        this.store.setBasePlan(clip.id, toTimelinePlan(plannedFor(this.store, clip, decodePart<VideoAnalysis>(cached))), `analysis:${ANALYSER_VERSION}`);
      }
      // Same bytes, same analyser: nothing to do, but the UI still hears "done" like any job.
      const ref: JobRef = { jobId: `cached-${clip.id}-${Date.now().toString(36)}`, kind: 'analyze' };
      void nextTurn().then(() => this.hub.emit('job:done', { jobId: ref.jobId, kind: ref.kind, result: this.analysisSummary(clip) }));
      return ref;
    }
    return this.owned(clip.projectId, this.jobs.start('analyze', { path: clip.path }, {
      onResult: (result) => {
        const analysis = result as VideoAnalysis;
        // The built-in planner's plan: stored whole (strengths, mood) and as the timeline's base.
        const plan = plannedFor(this.store, clip, analysis);
        for (const [part, data] of Object.entries(analysisParts(analysis, plan))) this.store.putAnalysis(clip.contentHash, part, ANALYSER_VERSION, data);
        const existing = this.store.getPlan(clip.id);
        if (!existing || (existing.editCount === 0 && !existing.canRedo)) {
          this.store.setBasePlan(clip.id, toTimelinePlan(plan), `analysis:${ANALYSER_VERSION}`);
        }
        return this.analysisSummary(clip);
      },
    }));
  }

  private analysisSummary(clip: ClipRecord) {
    const parts = this.store.listAnalysis(clip.contentHash).filter((p) => p.analyserVersion === ANALYSER_VERSION);
    if (parts.length === 0) return null;
    return {
      clipId: clip.id,
      contentHash: clip.contentHash,
      analyserVersion: ANALYSER_VERSION,
      createdAt: Math.min(...parts.map((p) => p.createdAt)),
      parts: parts.map((p) => p.part),
    };
  }

  async getAnalysis(input: { clipId: string }) {
    return this.analysisSummary(this.store.getClip(input.clipId));
  }

  async getFilmstrip(input: { clipId: string }) {
    const clip = this.store.getClip(input.clipId);
    const data = this.store.getAnalysis(clip.contentHash, 'filmstrip', ANALYSER_VERSION);
    return data ? filmstripForUi(decodePart<StoredFilmstrip>(data)) : null;
  }

  async getWaveform(input: { clipId: string }) {
    const clip = this.store.getClip(input.clipId);
    const data = this.store.getAnalysis(clip.contentHash, 'waveform', ANALYSER_VERSION);
    return data ? waveformForUi(decodePart<WaveformPeaks>(data)) : null;
  }

  async getVisualRhythm(input: { clipId: string }) {
    const clip = this.store.getClip(input.clipId);
    const data = this.store.getAnalysis(clip.contentHash, 'video', ANALYSER_VERSION);
    if (!data) return null;
    const v = decodePart<Omit<VideoAnalysis, 'filmstrip' | 'waveform'>>(data);
    return {
      fps: v.visualRhythm.fps,
      frameTimes: Array.from(v.visualRhythm.frameTimes),
      curve: Array.from(v.visualRhythm.curve),
      beats: v.visualBeats.map((b) => ({ timeSec: b.timeSec, strength: b.strength })),
    };
  }

  // ---- rhythm plan ----

  async getRhythmPlan(input: { clipId: string }) {
    this.store.getClip(input.clipId);
    return this.store.getPlan(input.clipId);
  }

  async editRhythmPlan(input: Parameters<V2mApi['editRhythmPlan']>[0]) {
    return this.store.applyEdit(input.clipId, input.edit);
  }

  async undoRhythmPlan(input: { clipId: string }) {
    return this.store.undo(input.clipId);
  }

  async redoRhythmPlan(input: { clipId: string }) {
    return this.store.redo(input.clipId);
  }

  async resetRhythmPlan(input: { clipId: string }) {
    return this.store.reset(input.clipId);
  }

  async listPlanners(): Promise<PlannerOption[]> {
    return plannerOptions({ runtimeProblem: onnxRuntimeInfo().problem });
  }

  async replanRhythm(input: Parameters<V2mApi['replanRhythm']>[0]): Promise<JobRef> {
    const clip = this.store.getClip(input.clipId);
    if (!this.store.getPlan(clip.id)) throw new EngineError('PLAN_NOT_FOUND', 'Analyse the clip before choosing its planner.');
    if (input.planner === 'heuristic') {
      const stored = this.store.getAnalysis(clip.contentHash, 'plan', ANALYSER_VERSION);
      if (!stored) throw new EngineError('ANALYSIS_NOT_FOUND', 'The stored analysis is missing: analyse the clip again.');
      const odf = toTimelinePlan(decodePart<FullRhythmPlan>(stored)).odf;
      // Instant, but answered like any job so the UI has one path for both planners.
      const state = this.store.replan(clip.id, { kind: 'replan', planner: BUILT_IN_PLANNER, odf });
      return this.finishedJob('rhythm-predict', clip.id, state);
    }
    // Refused at once (no pack, no rhythm model, no runtime) rather than from the worker.
    const option = (await this.listPlanners()).find((o) => o.kind === 'neural' && (input.pack === undefined || o.pack === input.pack) && (o.available || input.pack !== undefined));
    if (!option || !option.available || option.pack === null) {
      const reason = option?.reason ?? (input.pack !== undefined ? `No installed model pack named "${input.pack}" has a rhythm predictor.` : 'No model pack with a rhythm predictor is installed.');
      throw new EngineError('PLANNER_UNAVAILABLE', `The rhythm predictor cannot run: ${reason}`);
    }
    const video = this.store.getAnalysis(clip.contentHash, 'video', ANALYSER_VERSION);
    if (!video) throw new EngineError('ANALYSIS_NOT_FOUND', 'The stored analysis is missing: analyse the clip again.');
    // The stored analysis goes with the job, so the clip is not analysed a second time.
    const jobInput: RhythmPredictJobInput = {
      path: clip.path, pack: option.pack, device: input.device ?? 'auto', analysis: decodePart<RhythmPredictJobInput['analysis'] & object>(video),
    };
    const pack = { name: option.pack, version: option.packVersion ?? '', randomWeights: option.randomWeights };
    // Owned like the other jobs: a project is not deleted while its clip is being re-planned.
    return this.owned(clip.projectId, this.jobs.start('rhythm-predict', jobInput, {
      onResult: (result) => {
        const r = result as RhythmPredictJobResult;
        return this.store.replan(clip.id, { kind: 'replan', planner: neuralPlanPlanner(r, pack), odf: r.odf });
      },
    }));
  }

  /** A job that is already done: its "done" event still arrives, on the next turn, like any other. */
  private readonly finishedJob = (kind: string, clipId: string, result: RhythmPlanState): JobRef => {
    const ref: JobRef = { jobId: `instant-${clipId}-${Date.now().toString(36)}`, kind };
    void nextTurn().then(() => this.hub.emit('job:done', { jobId: ref.jobId, kind: ref.kind, result }));
    return ref;
  };

  // ---- generation and export ----

  async generate(input: Parameters<V2mApi['generate']>[0]): Promise<JobRef> {
    const clip = this.store.getClip(input.clipId);
    const plan = this.store.getPlan(clip.id);
    if (!plan) throw new EngineError('PLAN_NOT_FOUND', 'Analyse the clip before generating music for it.');
    if (!isGeneratorName(input.generator)) {
      throw new EngineError('GENERATOR_UNAVAILABLE', `Unknown generator "${input.generator}": choose one of ${GENERATOR_NAMES.join(', ')}.`);
    }
    // Parameters are checked here, so a mistake is refused at once rather than in the worker.
    try {
      checkGeneratorParams(input.generator, input.params ?? {});
    } catch (e) {
      throw new EngineError('INVALID_INPUT', (e as Error).message);
    }
    const seed = input.seed ?? Math.floor(Math.random() * 2 ** 31);
    const params = input.params ?? {};
    const stored = this.store.getAnalysis(clip.contentHash, 'plan', ANALYSER_VERSION);
    const basePlan = stored ? decodePart<FullRhythmPlan>(stored) : null;
    // The stored analysis goes with the job: no generator decodes the clip again for it.
    const video = this.store.getAnalysis(clip.contentHash, 'video', ANALYSER_VERSION);
    const analysis = video ? decodePart<StoredAnalysis>(video) : null;
    const jobInput: GenerateJobInput = { generator: input.generator, clipPath: clip.path, plan: plan.plan, basePlan, analysis, seed, params, outDir: generationsDirFor(this.opts.libraryFile) };
    return this.owned(clip.projectId, this.jobs.start('generate', jobInput, {
      onResult: (result) => {
        const r = result as { files: GenerationRecord['files']; syncReport: Record<string, unknown> | null };
        return this.withFiles(this.store.addGeneration({ clipId: clip.id, generator: input.generator, params, seed, files: r.files, syncReport: r.syncReport }));
      },
    }));
  }

  async analyzeMusic(input: { path: string }): Promise<MusicTrackInfo> {
    if (!path.isAbsolute(input.path)) throw new EngineError('INVALID_PATH', `Give the full path of the music file, not a relative one ("${input.path}").`);
    try {
      return await describeMusic(input.path);
    } catch (e) {
      if (e instanceof RemixError) throw new EngineError(e.code, e.message);
      throw e;
    }
  }

  async listGenerations(input: { clipId: string }): Promise<GenerationInfo[]> {
    this.store.getClip(input.clipId);
    return this.store.listGenerations(input.clipId).map((g) => this.withFiles(g));
  }

  async deleteGeneration(input: { generationId: string }): Promise<{ deleted: true }> {
    const g = this.store.deleteGeneration(input.generationId);
    this.measuring.delete(g.id);
    // Only files the engine wrote (in the library's generations folder) are removed.
    const dir = generationsDirFor(this.opts.libraryFile);
    g.files.forEach((f, i) => {
      this.media.unregister(`gen-${g.id}-${i}`);
      if (isInside(f.path, dir)) rmSync(f.path, { force: true });
    });
    return { deleted: true };
  }

  async measureSync(input: { generationId: string }): Promise<JobRef> {
    const g = this.store.getGeneration(input.generationId);
    // One measurement per generation at a time: asking again while it runs joins it.
    const running = this.measuring.get(g.id);
    if (running) return running;
    const file = g.files.find((f) => f.role === 'music') ?? g.files.find((f) => f.role === 'mix');
    if (!file) throw new EngineError('MEDIA_NOT_FOUND', 'This generation has no music file to measure.');
    if (!existsSync(file.path)) throw new EngineError('MEDIA_NOT_FOUND', `The generated music ${file.path} is missing (moved or deleted), so its sync cannot be measured again.`);
    const clip = this.store.getClip(g.clipId);
    const plan = this.store.getPlan(clip.id);
    if (!plan) throw new EngineError('PLAN_NOT_FOUND', 'This clip has no rhythm plan to measure against; analyse it first.');
    const stored = this.store.getAnalysis(clip.contentHash, 'plan', ANALYSER_VERSION);
    const jobInput: MeasureSyncJobInput = {
      wavPath: file.path, plan: plan.plan, basePlan: stored ? decodePart<FullRhythmPlan>(stored) : null,
      durationSec: clip.probe.durationSec, fps: clip.probe.video?.fps || 25,
    };
    const ref = this.owned(clip.projectId, this.jobs.start('measure-sync', jobInput, {
      onResult: (result) => {
        this.measuring.delete(g.id);
        // The generation may have been deleted meanwhile: that is the store's clear error.
        const now = this.store.getGeneration(g.id);
        return this.withFiles(this.store.setSyncReport(g.id, { ...(now.syncReport ?? {}), ...(result as Record<string, unknown>) }));
      },
    }));
    this.measuring.set(g.id, ref);
    void this.jobs.wait(ref.jobId).catch(() => undefined).finally(() => {
      if (this.measuring.get(g.id) === ref) this.measuring.delete(g.id);
    });
    return ref;
  }

  async auditionGeneration(input: { generationId: string }) {
    const g = this.withFiles(this.store.getGeneration(input.generationId));
    const file = g.files.find((f) => f.role === 'mix') ?? g.files.find((f) => f.role === 'music');
    if (!file?.mediaUrl) throw new EngineError('MEDIA_NOT_FOUND', 'This generation has no playable audio file (it may have been moved or deleted).');
    return { mediaUrl: file.mediaUrl };
  }

  async getGenerationWaveform(input: { generationId: string }): Promise<Waveform> {
    const g = this.store.getGeneration(input.generationId);
    const file = g.files.find((f) => f.role === 'mix') ?? g.files.find((f) => f.role === 'music');
    if (!file) throw new EngineError('MEDIA_NOT_FOUND', 'This generation has no audio file.');
    let st;
    try {
      st = statSync(file.path);
    } catch {
      throw new EngineError('MEDIA_NOT_FOUND', `The generated music ${file.path} is missing (moved or deleted).`);
    }
    const key = `${file.path}\u0000${st.size}\u0000${st.mtimeMs}`;
    let w = this.musicWaveforms.get(key);
    if (!w) {
      w = waveformForUi(wavPeaks(file.path));
      // A few recent generations are kept: switching A/B must not rebuild them.
      if (this.musicWaveforms.size >= 8) this.musicWaveforms.delete(this.musicWaveforms.keys().next().value!);
      this.musicWaveforms.set(key, w);
    }
    return w;
  }

  async exportProject(input: Parameters<V2mApi['exportProject']>[0]): Promise<JobRef> {
    this.store.getProject(input.projectId);
    const g = this.store.getGeneration(input.generationId);
    const kind = `export-${input.kind}`;
    if (!this.jobs.hasKind(kind)) throw new EngineError('EXPORT_UNAVAILABLE', `Exporting ${input.kind} is not available in this build yet.`);
    if (!path.isAbsolute(input.path)) throw new EngineError('INVALID_PATH', `Give the full path to export to, not a relative one ("${input.path}").`);
    const clip = this.store.getClip(g.clipId);
    const plan = this.store.getPlan(clip.id);
    const fps = clip.probe.video && clip.probe.video.fps > 0 ? clip.probe.video.fps : 25;
    const timeline = (this.store.timelineImportForClip(clip.id)?.timeline as EditorTimeline | undefined) ?? null;
    const video = { durationSec: clip.probe.video ? clip.probe.durationSec : 0, width: clip.probe.video?.width ?? 1920, height: clip.probe.video?.height ?? 1080 };
    const jobInput = { kind: input.kind, path: input.path, clipPath: clip.path, files: g.files, plan: plan?.plan ?? null, fps, timeline, video, ...(input.mix ? { mix: input.mix } : {}) };
    return this.owned(input.projectId, this.jobs.start(kind, jobInput, {
      onResult: () => this.store.addExport({ projectId: input.projectId, generationId: g.id, kind: input.kind, path: input.path }),
    }));
  }

  async listExports(input: { projectId: string }) {
    this.store.getProject(input.projectId);
    return this.store.listExports(input.projectId);
  }

  // ---- models and jobs ----

  async modelStatus() {
    const ort = onnxRuntimeInfo();
    const problems = ort.problem ? [ort.problem] : [];
    const listed = listPacks();
    for (const p of listed) if (p.status !== 'ok') problems.push(`Model pack ${p.dir} cannot be used: ${p.problem}`);
    return {
      onnxruntimeVersion: ort.version,
      executionProviders: ort.bindingDir ? (ort.cudaProvider ? ['cuda', 'cpu'] : ['cpu']) : [],
      packs: listed.filter((p) => p.status === 'ok').map((p) => ({ name: p.name, version: p.version, path: p.dir, randomWeights: p.randomWeights })),
      problems,
    };
  }

  async cancelJob(input: { jobId: string }) {
    return { cancelled: this.jobs.cancel(input.jobId) };
  }

  // ---- editor timelines ----

  async importTimeline(input: Parameters<V2mApi['importTimeline']>[0]): Promise<TimelineImportInfo> {
    if (!path.isAbsolute(input.path)) throw new EngineError('INVALID_PATH', `Give the full path of the timeline file, not a relative one ("${input.path}").`);
    this.store.getProject(input.projectId);
    const read = await readTimelineFile(input.path);
    const rec = this.store.addTimelineImport({ projectId: input.projectId, path: input.path, format: read.format, timeline: read.timeline, warnings: read.warnings });
    return this.timelinePicture(rec, input.referenceMoviePath);
  }

  async relinkMedia(input: Parameters<V2mApi['relinkMedia']>[0]): Promise<TimelineImportInfo> {
    let rec = this.store.getTimelineImport(input.importId);
    if (input.searchFolder) {
      if (!path.isAbsolute(input.searchFolder)) throw new EngineError('INVALID_PATH', `Give the full path of the folder to search, not a relative one ("${input.searchFolder}").`);
      rec = this.store.updateTimelineImport(rec.id, { timeline: relinkByName(rec.timeline as EditorTimeline, input.searchFolder).timeline });
    }
    return this.timelinePicture(rec, input.referenceMoviePath);
  }

  /**
   * The picture for a timeline: the reference movie when given (checked first), else a conform
   * once every source is reachable; until then the answer lists what is missing.
   */
  private readonly timelinePicture = async (rec: TimelineImportRecord, reference?: string): Promise<TimelineImportInfo> => {
    const t = rec.timeline as EditorTimeline;
    if (rec.clipId) return timelineInfo(rec, null);
    if (reference !== undefined) {
      if (!path.isAbsolute(reference)) throw new EngineError('INVALID_PATH', `Give the full path of the reference movie, not a relative one ("${reference}").`);
      const info = await probe(reference);
      if (!info.video) throw new EngineError('NO_VIDEO', `${reference} has no video stream; point at the movie rendered from the timeline.`);
      checkReference({ path: reference, fps: info.video.fps, durationSec: info.video.durationSec || info.durationSec }, t);
      const clip = await this.importClip({ projectId: rec.projectId, path: reference });
      const linked = this.store.updateTimelineImport(rec.id, { clipId: clip.id });
      // Already analysed bytes: give the clip the timeline's plan now, unless the user edited it.
      const cached = this.store.getAnalysis(clip.contentHash, 'video', ANALYSER_VERSION);
      const plan = this.store.getPlan(clip.id);
      if (cached && (!plan || (plan.editCount === 0 && !plan.canRedo))) {
        this.store.setBasePlan(clip.id, toTimelinePlan(plannedFor(this.store, clip, decodePart<VideoAnalysis>(cached))), `analysis:${ANALYSER_VERSION}`);
      }
      return timelineInfo(linked, null);
    }
    if (mainTrackMedia(t).some((m) => !m.found)) return timelineInfo(rec, null);
    const { segments, warnings } = conformSegments(t);
    // Named after the sequence, so exports made from it are too.
    const dir = path.join(conformsDirFor(this.opts.libraryFile), rec.id);
    mkdirSync(dir, { recursive: true });
    const name = t.name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').replace(/^[ .]+|[ .]+$/g, '').slice(0, 80) || 'timeline';
    const job = this.owned(rec.projectId, this.jobs.start('conform', { segments, rate: t.rate, out: path.join(dir, `${name}.mp4`) }, {
      onResult: (result) => {
        const r = result as ConformJobResult;
        const clip = this.store.addClip(rec.projectId, r);
        this.store.updateTimelineImport(rec.id, { clipId: clip.id });
        return this.withMedia(clip);
      },
    }));
    return timelineInfo(rec, job, warnings);
  };

  // ---- media registration ----

  private withMedia(c: ClipRecord): ClipInfo {
    return { ...c, mediaUrl: this.tryRegister(`clip-${c.id}`, c.path) ?? '' };
  }

  private withFiles(g: GenerationRecord): GenerationInfo {
    return {
      ...g,
      files: g.files.map((f, i) => ({ ...f, mediaUrl: f.role === 'midi' || f.role === 'markers' ? null : this.tryRegister(`gen-${g.id}-${i}`, f.path) })),
    };
  }

  /** Registers a file for playback; a file that is gone simply gets no URL. */
  private tryRegister(id: string, file: string): string | null {
    try {
      this.media.register(id, file);
      return this.opts.mediaUrl(id);
    } catch {
      return null;
    }
  }
}
