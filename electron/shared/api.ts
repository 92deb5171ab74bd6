import type {
  AnalysisSummary, AppInfo, ClipInfo, ExportInfo, Filmstrip, GenerationInfo, GeneratorName, JobRef,
  ModelStatus, MusicTrackInfo, NewProjectImport, PlanEdit, PlannerKind, PlannerOption, ProjectDeleted, ProjectDeletionPreview, ProjectDetail,
  ProjectSummary, RhythmPlanState, VisualRhythm, Waveform,
} from './domain.ts';
import type { ExportKind, TimelineImportInfo } from './domain.ts';
import type { V2mEventListener, V2mEventName } from './events.ts';

export type Empty = Record<string, never>;

/**
 * Everything the UI can ask of the engine. Each operation takes one plain input object (validated
 * by `apiInputSchemas` wherever it crosses a process boundary) and resolves to JSON-safe data.
 * Long work returns a `JobRef` at once; its progress and outcome arrive as `V2mEvents`.
 */
export interface V2mApi {
  appInfo(input: Empty): Promise<AppInfo>;

  createProject(input: { name: string }): Promise<ProjectSummary>;
  openProject(input: { projectId: string }): Promise<ProjectDetail>;
  listRecentProjects(input: { limit?: number }): Promise<ProjectSummary[]>;
  importClip(input: { projectId: string; path: string }): Promise<ClipInfo>;
  /** Creates a project named after the file and imports it; a failed import leaves no project behind. */
  importIntoNewProject(input: { path: string; kind: 'clip' | 'timeline'; name?: string }): Promise<NewProjectImport>;
  renameProject(input: { projectId: string; name: string }): Promise<ProjectSummary>;
  /** What `deleteProject` would remove and keep, for the confirmation. */
  previewProjectDeletion(input: { projectId: string }): Promise<ProjectDeletionPreview>;
  /** Removes the project, its clips, plans, generations (and their files) and export records; exports stay on disk. */
  deleteProject(input: { projectId: string }): Promise<ProjectDeleted>;

  analyze(input: { clipId: string }): Promise<JobRef>;
  getAnalysis(input: { clipId: string }): Promise<AnalysisSummary | null>;
  getFilmstrip(input: { clipId: string }): Promise<Filmstrip | null>;
  getWaveform(input: { clipId: string }): Promise<Waveform | null>;
  getVisualRhythm(input: { clipId: string }): Promise<VisualRhythm | null>;

  getRhythmPlan(input: { clipId: string }): Promise<RhythmPlanState | null>;
  editRhythmPlan(input: { clipId: string; edit: PlanEdit }): Promise<RhythmPlanState>;
  undoRhythmPlan(input: { clipId: string }): Promise<RhythmPlanState>;
  redoRhythmPlan(input: { clipId: string }): Promise<RhythmPlanState>;
  resetRhythmPlan(input: { clipId: string }): Promise<RhythmPlanState>;

  /** Where the ODF can come from: the built-in planner, and each installed pack's rhythm predictor (or why none can). */
  listPlanners(input: Empty): Promise<PlannerOption[]>;
  /**
   * Re-plans the clip's ODF with another planner from the stored analysis (the clip is not
   * analysed again). The job's result is the new `RhythmPlanState`; the switch is one undo step.
   * `pack` and `device` choose the neural planner's model as `v2m plan` does (auto: CUDA, else the CPU, saying why).
   */
  replanRhythm(input: { clipId: string; planner: PlannerKind; pack?: string; device?: 'auto' | 'cuda' | 'cpu' }): Promise<JobRef>;

  generate(input: { clipId: string; generator: GeneratorName; seed?: number; params?: Record<string, unknown> }): Promise<JobRef>;
  /** Reads the user's own track for the remix generator ("Your music"): waveform, beats, bars; refuses what cannot be remixed. */
  analyzeMusic(input: { path: string }): Promise<MusicTrackInfo>;
  listGenerations(input: { clipId: string }): Promise<GenerationInfo[]>;
  /** Removes a generation and the music files the engine wrote for it; the others keep their numbers. */
  deleteGeneration(input: { generationId: string }): Promise<{ deleted: true }>;
  /**
   * Runs a generation's sync check again on its stored music against the clip's current plan
   * (after the plan changed); the job's result is the updated GenerationInfo.
   */
  measureSync(input: { generationId: string }): Promise<JobRef>;
  auditionGeneration(input: { generationId: string }): Promise<{ mediaUrl: string }>;
  /** The generated music's waveform pyramid, built by the engine (the page never decodes it for drawing). */
  getGenerationWaveform(input: { generationId: string }): Promise<Waveform>;
  /** `mix` (mp4 only): what happens to the clip's own sound — replaced (default), mixed under, or ducked. */
  exportProject(input: {
    projectId: string;
    generationId: string;
    /** `markers` is CSV; fcpxml, xmeml (Premiere/Resolve), edl, resolve-edl and otio carry the sequence, the music and the markers. */
    kind: ExportKind;
    path: string;
    mix?: 'replace' | 'mix' | 'duck';
  }): Promise<JobRef>;
  listExports(input: { projectId: string }): Promise<ExportInfo[]>;

  modelStatus(input: Empty): Promise<ModelStatus>;
  cancelJob(input: { jobId: string }): Promise<{ cancelled: boolean }>;

  /**
   * Opens an editor timeline (FCPXML, FCP7 XML, EDL, OTIO) in a project. Its picture comes from
   * `referenceMoviePath` (checked against the timeline's rate and length) or, when every source
   * is reachable, from a conform job (`job`); otherwise `missing` lists what to relink.
   */
  importTimeline(input: { projectId: string; path: string; referenceMoviePath?: string }): Promise<TimelineImportInfo>;
  /** Looks for offline media under `searchFolder` by file name, or takes a reference movie; starts the picture when it can. */
  relinkMedia(input: { importId: string; searchFolder?: string; referenceMoviePath?: string }): Promise<TimelineImportInfo>;
}

export type V2mMethod = keyof V2mApi;
export type V2mInput<M extends V2mMethod> = Parameters<V2mApi[M]>[0];
export type V2mResult<M extends V2mMethod> = Awaited<ReturnType<V2mApi[M]>>;

/** What a transport hands the renderer: the API plus event subscription. */
export interface V2mClient {
  api: V2mApi;
  /** Returns an unsubscribe function. */
  on<E extends V2mEventName>(event: E, listener: V2mEventListener<E>): () => void;
}
