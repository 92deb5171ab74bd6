// Domain types shared by the engine, the transports and the renderer. Type-only: no runtime code.

export interface ToolInfo {
  version: string;
  path: string;
  /** Where the binary was found: `override` (V2M_FFMPEG / V2M_FFPROBE), `ffmpeg-static`, `bundled` (@ffmpeg-installer / @ffprobe-installer) or `path`. */
  source: string;
  /** The same in words, with the package version: "ffmpeg-static 5.3.0", "@ffmpeg-installer/ffmpeg 20181210-g0e8eb07980", "V2M_FFMPEG", "PATH". */
  origin: string;
}

export interface AppInfo {
  appName: string;
  appVersion: string;
  /** null with `problem` set when the tool could not be found or run. */
  ffmpeg: ToolInfo | null;
  ffprobe: ToolInfo | null;
  onnxruntime: { version: string | null; cudaProvider: boolean };
  /** One line per missing piece, written for the user. */
  problems: string[];
  platform: string;
  /** How the UI is connected: the Electron shell or the browser bridge. */
  transport: 'electron' | 'bridge' | 'direct';
  /** The export kinds this build can write (the dialog disables the others and says why). */
  exportKinds?: ExportKind[];
}

export interface ProjectSummary {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  openedAt: number | null;
  clipCount: number;
}

export interface ClipProbe {
  durationSec: number;
  container: string;
  video: {
    codec: string;
    width: number;
    height: number;
    fps: number;
    frameCount: number;
    vfr: boolean;
    rotation: number;
  } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
}

export interface ClipInfo {
  id: string;
  projectId: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the file's bytes: the analysis cache key, so moved or re-imported files reuse analysis. */
  contentHash: string;
  probe: ClipProbe;
  importedAt: number;
  /** Where the UI can load the clip for playback (transport-specific URL). */
  mediaUrl: string;
}

/** What deleting a project takes with it and what it leaves on disk, shown before the user confirms. */
export interface ProjectDeletionPreview {
  project: ProjectSummary;
  /** The project's clips; their source media stays on disk. */
  clips: Array<{ id: string; path: string }>;
  generations: Array<{ id: string; clipId: string; generator: GeneratorName; createdAt: number; files: string[] }>;
  exports: Array<{ id: string; kind: string; path: string; createdAt: number }>;
  /** Files the delete removes: what the app made inside its data folder (generated music, timeline pictures). */
  removes: string[];
  /** Files left on disk: the source media and every export (an editor may use them). */
  keeps: string[];
  /** Jobs still running for this project; the delete is refused while there are any. */
  runningJobs: number;
}

export interface ProjectDeleted {
  projectId: string;
  removedFiles: number;
  /** Files the app meant to remove but could not (with the reason). */
  notRemoved: Array<{ path: string; reason: string }>;
}

/** A clip or editor timeline imported into a project made for it (none is left behind on failure). */
export interface NewProjectImport {
  project: ProjectSummary;
  clip: ClipInfo | null;
  timeline: TimelineImportInfo | null;
}

export interface ProjectDetail extends ProjectSummary {
  clips: ClipInfo[];
  /** Where exports go unless the user picks another folder (next to the library, one per project). */
  exportFolder?: string;
}

export interface FilmstripFrame {
  timeSec: number;
  /** JPEG bytes, base64 (JSON-safe on every transport). */
  jpegBase64: string;
}

export interface Filmstrip {
  intervalSec: number;
  width: number;
  height: number;
  frames: FilmstripFrame[];
}

/** The visual rhythm curve (one value per analysed frame) and its peaks, the visual beats. */
export interface VisualRhythm {
  fps: number;
  /** Frame times (s) and the normalised motion curve at them. */
  frameTimes: number[];
  curve: number[];
  beats: Array<{ timeSec: number; strength: number }>;
}

/** One zoom level of a waveform: min/max of the mono mix per bucket, in [-1, 1]. */
export interface WaveformLevel {
  /** Buckets per second of audio. */
  perSecond: number;
  min: Float32Array;
  max: Float32Array;
}

/** A waveform pyramid, built once by the engine and sent as typed arrays. */
export interface Waveform {
  durationSec: number;
  /** Finest first; each coarser level merges a whole number of the finer one's buckets. */
  levels: WaveformLevel[];
}

export interface AnalysisSummary {
  clipId: string;
  contentHash: string;
  analyserVersion: string;
  createdAt: number;
  /** Which analysis parts are stored (e.g. "filmstrip", "waveform", "video"). */
  parts: string[];
}

export interface TempoSetting {
  bpm: number;
  /** Locked tempo is kept by the generators instead of being re-estimated. */
  locked: boolean;
}

/** Where a cut came from: the scene detector, an imported editor timeline's edit point, or the user's hand. */
export type CutKind = 'detected' | 'edit' | 'user';
export type AccentKind = 'cut' | 'visual-beat' | 'user';

/** A scene cut on the timeline. `id` never changes while the cut exists, however it is moved. */
export interface PlanCut {
  id: string;
  timeSec: number;
  kind: CutKind;
}

/** An accent the music should land on; it keeps strength and kind when moved. */
/** Accents at or above this strength must get a note onset and are the ones a sync check scores. */
export const STRONG_ACCENT = 0.5;

export interface PlanAccent {
  id: string;
  timeSec: number;
  /** 0..1; at least 0.5 means the music must hit it. */
  strength: number;
  kind: AccentKind;
}

export interface RhythmPlan {
  /** Scene cuts, ascending by time. */
  cuts: PlanCut[];
  /** Accents the music should land on, ascending by time. */
  accents: PlanAccent[];
  /** Low-resolution onset detection function: one strength in [0, 1] per second. */
  odf: number[];
  tempo: TempoSetting | null;
  /** Who made `odf`; absent means the built-in planner (every plan from before the choice). */
  planner?: PlanPlanner;
}

export type PlannerKind = 'heuristic' | 'neural';

/** The planner behind a plan's ODF, kept in the plan itself so undo, redo and reopening keep it too. */
export interface PlanPlanner {
  kind: PlannerKind;
  /** What the engine records in a full plan's source, e.g. "heuristic-1", "diffv2m-rhythm:diffv2m-tiny". */
  id: string;
  /** The model pack that predicted it (neural only). */
  pack?: { name: string; version: string; randomWeights: boolean };
  /** Where the predictor ran; `fallbackReason` says why not on the GPU when it was asked for. */
  device?: { provider: string; requested: string; fallbackReason: string | null };
}

/** One planner the user may pick, or one they cannot yet and why. */
export interface PlannerOption {
  kind: PlannerKind;
  /** The pack's name for the neural planner; null for the built-in one. */
  pack: string | null;
  packVersion: string | null;
  /** A test pack exported with random weights: it runs, but its ODF means nothing musically. */
  randomWeights: boolean;
  available: boolean;
  /** Why it is unavailable (null when available). */
  reason: string | null;
}

/** One user action on the plan; `batch` applies several in order as one undo step (multi-select). */
export type PlanEdit = SinglePlanEdit | { kind: 'batch'; edits: SinglePlanEdit[] };

/**
 * Markers are addressed by id, never by position. An add may name the new marker's id (so the UI
 * can select it at once); otherwise the engine picks one.
 */
export type SinglePlanEdit =
  | { kind: 'moveCut'; id: string; toSec: number }
  | { kind: 'addCut'; atSec: number; id?: string; cutKind?: CutKind }
  | { kind: 'deleteCut'; id: string }
  | { kind: 'moveAccent'; id: string; toSec: number }
  | { kind: 'addAccent'; atSec: number; id?: string; strength?: number }
  | { kind: 'deleteAccent'; id: string }
  | { kind: 'setAccentStrength'; id: string; strength: number }
  | { kind: 'setOdf'; startIndex: number; values: number[] }
  | { kind: 'lockTempo'; bpm: number }
  | { kind: 'unlockTempo' };

export interface RhythmPlanState {
  clipId: string;
  plan: RhythmPlan;
  /** Where the base plan came from, e.g. "analysis:video-1". */
  source: string;
  /** Edits applied on top of the base plan (after undo, the ones still in effect). */
  editCount: number;
  canUndo: boolean;
  canRedo: boolean;
}

export type GeneratorName = 'composer' | 'diffv2m' | 'remix';

/** The user's own track as the remix generator sees it: its waveform, beats, bars and sections. */
export interface MusicTrackInfo {
  path: string;
  durationSec: number;
  tempoBpm: number;
  beatsPerBar: number;
  /** Beat times (s). */
  beats: number[];
  /** Bar starts (s): the downbeats. */
  downbeats: number[];
  /** Section starts (s), each on a downbeat. */
  sections: number[];
  /** Min/max peaks of the mono mix, `perSecond` buckets a second (plain arrays: about 1500 of them). */
  peaks: { perSecond: number; min: number[]; max: number[] };
}

export interface GeneratedFile {
  role: 'mix' | 'music' | 'stem' | 'midi' | 'markers';
  path: string;
  mediaUrl: string | null;
}

export interface GenerationInfo {
  id: string;
  clipId: string;
  /** The clip's number for it (#1, #2, …), given once when stored: never reused or renumbered. */
  ordinal: number;
  generator: GeneratorName;
  params: Record<string, unknown>;
  seed: number;
  files: GeneratedFile[];
  syncReport: Record<string, unknown> | null;
  createdAt: number;
}

export interface ExportInfo {
  id: string;
  projectId: string;
  generationId: string | null;
  kind: string;
  path: string;
  createdAt: number;
}

export interface ModelPackInfo {
  name: string;
  version: string;
  path: string;
  /** A test pack with random weights: Diff-V2M runs on it but makes noise, not music. */
  randomWeights?: boolean;
}

export interface ModelStatus {
  onnxruntimeVersion: string | null;
  /** Execution providers this install can use, best first. */
  executionProviders: string[];
  packs: ModelPackInfo[];
  problems: string[];
}

export interface JobRef {
  jobId: string;
  kind: string;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

/** One media file an imported timeline's main track plays, and whether it is reachable here. */
export interface TimelineMediaStatus {
  id: string;
  name: string;
  path: string | null;
  found: boolean;
}

/** An editor timeline opened in a project: what it holds and how far its picture has come. */
export interface TimelineImportInfo {
  importId: string;
  projectId: string;
  path: string;
  /** 'fcpxml' | 'xmeml' | 'edl' | 'otio'. */
  format: string;
  name: string;
  fps: number;
  /** Exact rate, e.g. "30000/1001". */
  fpsRational: string;
  dropFrame: boolean;
  durationSec: number;
  /** Record-time edit points of the main video track (they become cuts of kind `edit`). */
  editPoints: number;
  markers: number;
  clips: number;
  media: TimelineMediaStatus[];
  /** What must be relinked (or replaced by a reference movie) before the picture can be built. */
  missing: TimelineMediaStatus[];
  warnings: string[];
  /** The clip analysed for this timeline, once its picture exists. */
  clipId: string | null;
  /** The job building the picture (conform), when one was started; its result is the ClipInfo. */
  job: JobRef | null;
}

/** What `exportProject` can write: media, markers as CSV, and the editor interchange formats. */
export type ExportKind = 'mp4' | 'wav' | 'stems' | 'midi' | 'markers' | 'fcpxml' | 'xmeml' | 'edl' | 'resolve-edl' | 'otio';
