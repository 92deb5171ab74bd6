import type { V2mApi } from '../../../electron/shared/api.ts';
import type { ClipInfo, Filmstrip, GenerationInfo, PlanEdit, RhythmPlanState, VisualRhythm } from '../../../electron/shared/domain.ts';
import { PeakCache } from './timeline/peak-cache.ts';
import { deleteMarkers, type MarkerKind } from './timeline/plan-edits.ts';
import { clampPxPerSec, clampStart, fitPxPerSec, revealTime, zoomAt, type Viewport } from './timeline/timeline-geometry.ts';
import { errorMessage } from './errors.ts';
import { readSyncReport, type SyncSummary } from './sync-report.ts';
import { syncFreshness, type SyncFreshness } from './sync-report.ts';

export type Selection = { kind: MarkerKind | 'odf'; indices: number[] } | null;

/** Music of one generation on its track: the engine's waveform pyramid and the sync report. */
export interface MusicTrack {
  generationId: string;
  peaks: PeakCache;
  summary: SyncSummary | null;
}

/** Everything the editor shows and edits for one clip. Big arrays are raw: they are replaced, never mutated. */
export class EditorState {
  filmstrip = $state.raw<Filmstrip | null>(null);
  waveform = $state.raw<PeakCache | null>(null);
  visualRhythm = $state.raw<VisualRhythm | null>(null);
  visualRhythmNote = $state<string | null>(null);
  plan = $state.raw<RhythmPlanState | null>(null);
  /** Mid-drag previews; null when nothing is being dragged. */
  previewCuts = $state.raw<readonly number[] | null>(null);
  previewAccents = $state.raw<readonly number[] | null>(null);
  previewOdf = $state.raw<readonly number[] | null>(null);
  selection = $state<Selection>(null);
  music = $state.raw<MusicTrack | null>(null);
  generations = $state.raw<GenerationInfo[]>([]);

  playhead = $state(0);
  playing = $state(false);
  startSec = $state(0);
  pxPerSec = $state(100);
  widthPx = $state(800);

  loading = $state(true);
  saving = $state(false);
  error = $state<string | null>(null);
  /** Read by screen readers after each edit or selection change. */
  announcement = $state('');
  /** Bumped on every change the canvases must redraw for. */
  revision = $state(0);

  readonly fps: number;
  readonly durationSec: number;
  private queue: Promise<unknown> = Promise.resolve();
  private measured = false;

  constructor(private readonly api: V2mApi, readonly clip: ClipInfo) {
    this.fps = clip.probe.video?.fps || 25;
    this.durationSec = clip.probe.durationSec;
  }

  /** Cut times (mid-drag: the preview). */
  get cuts(): readonly number[] {
    return this.previewCuts ?? this.plan?.plan.cuts.map((c) => c.timeSec) ?? [];
  }

  get accents(): readonly number[] {
    return this.previewAccents ?? this.plan?.plan.accents.map((a) => a.timeSec) ?? [];
  }

  /** The saved markers with their ids, kinds and strengths, in time order. */
  get cutMarkers(): RhythmPlanState['plan']['cuts'] {
    return this.plan?.plan.cuts ?? [];
  }

  get accentMarkers(): RhythmPlanState['plan']['accents'] {
    return this.plan?.plan.accents ?? [];
  }

  /** Ids of the saved markers of one kind, parallel to `cuts` / `accents` when no drag is previewing. */
  idsOf(kind: MarkerKind): string[] {
    return (kind === 'cut' ? this.cutMarkers : this.accentMarkers).map((m) => m.id);
  }

  get odf(): readonly number[] {
    return this.previewOdf ?? this.plan?.plan.odf ?? [];
  }

  get tempo(): RhythmPlanState['plan']['tempo'] {
    return this.plan?.plan.tempo ?? null;
  }

  get viewport(): Viewport {
    return { startSec: this.startSec, pxPerSec: this.pxPerSec, widthPx: this.widthPx, durationSec: this.durationSec };
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const id = { clipId: this.clip.id };
      const [plan, filmstrip, waveform, generations] = await Promise.all([
        this.api.getRhythmPlan(id), this.api.getFilmstrip(id), this.api.getWaveform(id), this.api.listGenerations(id),
      ]);
      this.plan = plan;
      this.filmstrip = filmstrip;
      this.waveform = waveform && waveform.levels.length && waveform.levels[0]!.min.length ? new PeakCache(waveform.levels) : null;
      this.generations = generations;
      await this.loadVisualRhythm();
      if (!plan) this.error = 'This clip has no rhythm plan yet: go back and analyse it.';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
      this.touch();
    }
  }

  /** The curve comes with each frame's own time, so a variable-rate clip is drawn where it happens. */
  private async loadVisualRhythm(): Promise<void> {
    try {
      const vr = await this.api.getVisualRhythm({ clipId: this.clip.id });
      if (vr && vr.frameTimes.length !== vr.curve.length) throw new Error(`The stored visual rhythm has ${vr.curve.length} values but ${vr.frameTimes.length} frame times; analyse the clip again.`);
      this.visualRhythm = vr;
      this.visualRhythmNote = vr ? null : 'No visual rhythm stored for this clip; analyse it again.';
    } catch (err) {
      this.visualRhythm = null;
      this.visualRhythmNote = errorMessage(err);
    }
  }

  touch(): void {
    this.revision++;
  }

  // ---- view ----

  setWidth(px: number): void {
    if (px <= 0 || (px === this.widthPx && this.measured)) return;
    this.widthPx = px;
    // The first measurement shows the whole clip; later resizes keep the user's zoom.
    if (!this.measured) this.pxPerSec = fitPxPerSec(px, this.durationSec);
    this.measured = true;
    this.pxPerSec = clampPxPerSec(this.pxPerSec, px, this.durationSec);
    this.startSec = clampStart(this.startSec, this.viewport);
    this.touch();
  }

  zoom(factor: number, anchorPx?: number): void {
    const vp = zoomAt(this.viewport, factor, anchorPx ?? Math.max(0, Math.min(this.widthPx, (this.playhead - this.startSec) * this.pxPerSec)));
    this.pxPerSec = vp.pxPerSec;
    this.startSec = vp.startSec;
    this.touch();
  }

  zoomToFit(): void {
    this.pxPerSec = fitPxPerSec(this.widthPx, this.durationSec);
    this.startSec = 0;
    this.touch();
  }

  scrollTo(startSec: number): void {
    const s = clampStart(startSec, this.viewport);
    if (s === this.startSec) return;
    this.startSec = s;
    this.touch();
  }

  setPlayhead(t: number, follow = true): void {
    this.playhead = Math.min(this.durationSec, Math.max(0, t));
    if (follow) this.startSec = revealTime(this.viewport, this.playhead);
    this.touch();
  }

  // ---- selection ----

  select(sel: Selection): void {
    this.selection = sel && sel.indices.length ? sel : null;
    this.touch();
  }

  // ---- edits, saved through the API in order ----

  /**
   * Saves one user action: several edits (a multi-selection) go as one batch, so they are one
   * stored transaction and one undo step. The engine's answer is the truth.
   */
  edit(edits: PlanEdit[], describe: string): Promise<void> {
    if (edits.length === 0) return Promise.resolve();
    const edit: PlanEdit = edits.length === 1 ? edits[0]! : { kind: 'batch', edits: edits.flatMap((e) => (e.kind === 'batch' ? e.edits : [e])) };
    return this.serial(async () => {
      this.plan = await this.api.editRhythmPlan({ clipId: this.clip.id, edit });
      this.announcement = describe;
    });
  }

  undo(): Promise<void> {
    if (!this.plan?.canUndo) return Promise.resolve();
    return this.serial(async () => {
      this.plan = await this.api.undoRhythmPlan({ clipId: this.clip.id });
      this.selection = null;
      this.announcement = 'Undone';
    });
  }

  redo(): Promise<void> {
    if (!this.plan?.canRedo) return Promise.resolve();
    return this.serial(async () => {
      this.plan = await this.api.redoRhythmPlan({ clipId: this.clip.id });
      this.selection = null;
      this.announcement = 'Redone';
    });
  }

  reset(): Promise<void> {
    return this.serial(async () => {
      this.plan = await this.api.resetRhythmPlan({ clipId: this.clip.id });
      this.selection = null;
      this.announcement = 'Plan reset to the predicted one';
    });
  }

  /**
   * Another planner's ODF: `run` starts the engine's re-plan and resolves with the plan it stored.
   * Queued like an edit, so nothing saved meanwhile lands on the older plan.
   */
  replan(run: () => Promise<RhythmPlanState>, describe: string): Promise<void> {
    return this.serial(async () => {
      this.plan = await run();
      this.selection = null;
      this.announcement = describe;
    });
  }

  deleteSelection(): Promise<void> {
    const sel = this.selection;
    if (!sel || sel.kind === 'odf') return Promise.resolve();
    this.selection = null;
    return this.edit(deleteMarkers(sel.kind, sel.indices, this.idsOf(sel.kind)), `Deleted ${sel.indices.length} ${sel.kind}${sel.indices.length > 1 ? 's' : ''}`);
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      this.saving = true;
      this.error = null;
      try {
        await fn();
      } catch (err) {
        this.error = errorMessage(err);
        // The engine may have applied part of a multi-edit; show what it really holds.
        try {
          this.plan = await this.api.getRhythmPlan({ clipId: this.clip.id });
        } catch {
          /* keep the message above */
        }
      } finally {
        this.previewCuts = this.previewAccents = this.previewOdf = null;
        this.saving = false;
        this.touch();
      }
    });
    this.queue = run;
    return run;
  }

  // ---- generations ----

  async refreshGenerations(): Promise<void> {
    try {
      this.generations = await this.api.listGenerations({ clipId: this.clip.id });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** A generation as the engine holds it now (e.g. its report measured again); the music track follows. */
  updateGeneration(g: GenerationInfo): void {
    this.generations = this.generations.map((x) => (x.id === g.id ? g : x));
    if (this.music?.generationId === g.id) this.music = { ...this.music, summary: readSyncReport(g.syncReport) };
    this.touch();
  }

  /** Forgets a deleted generation (and takes it off the music track). */
  removeGeneration(id: string): void {
    this.generations = this.generations.filter((x) => x.id !== id);
    if (this.music?.generationId === id) this.music = null;
    this.touch();
  }

  /** Whether the music track's report is about the plan as it is now, and if not, why not. */
  get musicFreshness(): SyncFreshness | null {
    const s = this.music?.summary;
    return s && this.plan ? syncFreshness(s, this.plan.plan.accents) : null;
  }

  /** A generation's waveform (the engine's pyramid, not decoded here) with the report's onsets. */
  async showMusic(g: GenerationInfo): Promise<void> {
    try {
      const w = await this.api.getGenerationWaveform({ generationId: g.id });
      this.music = { generationId: g.id, peaks: new PeakCache(w.levels), summary: readSyncReport(g.syncReport) };
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.touch();
    }
  }
}
