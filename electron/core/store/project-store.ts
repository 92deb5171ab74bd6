import type { Database as Db, Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type {
  ClipInfo, ClipProbe, ExportInfo, GeneratedFile, GenerationInfo, GeneratorName, PlanEdit, ProjectSummary, RhythmPlan, RhythmPlanState,
} from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { openDatabase } from './open-database.ts';
import { applyPlanEdit, replanPlan, validatePlan, type RecordedStep, type ReplanStep } from './plan-edits.ts';

export type ClipRecord = Omit<ClipInfo, 'mediaUrl'>;
export type GenerationRecord = Omit<GenerationInfo, 'files'> & { files: Array<Omit<GeneratedFile, 'mediaUrl'>> };

export interface NewClip {
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string;
  probe: ClipProbe;
}

interface ProjectRow { id: string; name: string; created_at: number; updated_at: number; opened_at: number | null; clip_count: number }
interface ClipRow { id: string; project_id: string; path: string; size: number; mtime_ms: number; content_hash: string; probe_json: string; imported_at: number }
interface PlanRow { clip_id: string; source: string; base_json: string; current_json: string; cursor: number; updated_at: number }
interface GenerationRow { id: string; clip_id: string; generator: string; params_json: string; seed: number; files_json: string; sync_report_json: string | null; created_at: number; ordinal: number }
interface ExportRow { id: string; project_id: string; generation_id: string | null; kind: string; path: string; created_at: number }

const newId = (): string => randomUUID();

/**
 * The library: projects, clips, analysis cache, rhythm plans with their edit history,
 * generations and exports. The only code that opens the database. Every user edit is one
 * transaction, so after a crash the plan is at some acknowledged edit, never between two.
 */
export class ProjectStore {
  private readonly db: Db;
  private readonly stmts: Record<string, Statement>;

  private constructor(db: Db, readonly file: string, private readonly now: () => number) {
    this.db = db;
    const s = (sql: string): Statement => db.prepare(sql);
    const projectCols = 'p.id, p.name, p.created_at, p.updated_at, p.opened_at, (SELECT COUNT(*) FROM clips c WHERE c.project_id = p.id) AS clip_count';
    this.stmts = {
      insertProject: s('INSERT INTO projects (id, name, created_at, updated_at, opened_at) VALUES (?, ?, ?, ?, ?)'),
      getProject: s(`SELECT ${projectCols} FROM projects p WHERE p.id = ?`),
      recentProjects: s(`SELECT ${projectCols} FROM projects p ORDER BY COALESCE(p.opened_at, p.updated_at) DESC, p.created_at DESC LIMIT ?`),
      markOpened: s('UPDATE projects SET opened_at = ? WHERE id = ?'),
      renameProject: s('UPDATE projects SET name = ?, updated_at = ? WHERE id = ?'),
      deleteProject: s('DELETE FROM projects WHERE id = ?'),
      projectTimelineImports: s('SELECT id FROM timeline_imports WHERE project_id = ? ORDER BY created_at, id'),
      touchProject: s('UPDATE projects SET updated_at = ? WHERE id = ?'),
      insertClip: s('INSERT INTO clips (id, project_id, path, size, mtime_ms, content_hash, probe_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      getClip: s('SELECT * FROM clips WHERE id = ?'),
      clipByPath: s('SELECT * FROM clips WHERE project_id = ? AND path = ?'),
      updateClip: s('UPDATE clips SET size = ?, mtime_ms = ?, content_hash = ?, probe_json = ? WHERE id = ?'),
      listClips: s('SELECT * FROM clips WHERE project_id = ? ORDER BY imported_at, id'),
      putAnalysis: s('INSERT OR REPLACE INTO analysis_cache (content_hash, part, analyser_version, created_at, data) VALUES (?, ?, ?, ?, ?)'),
      getAnalysis: s('SELECT data, created_at FROM analysis_cache WHERE content_hash = ? AND part = ? AND analyser_version = ?'),
      listAnalysis: s('SELECT part, analyser_version, created_at FROM analysis_cache WHERE content_hash = ? ORDER BY part'),
      getPlan: s('SELECT * FROM rhythm_plans WHERE clip_id = ?'),
      upsertBasePlan: s(`INSERT INTO rhythm_plans (clip_id, source, base_json, current_json, cursor, updated_at) VALUES (?, ?, ?, ?, 0, ?)
        ON CONFLICT(clip_id) DO UPDATE SET source = excluded.source, base_json = excluded.base_json, current_json = excluded.current_json, cursor = 0, updated_at = excluded.updated_at`),
      setPlanState: s('UPDATE rhythm_plans SET current_json = ?, cursor = ?, updated_at = ? WHERE clip_id = ?'),
      deleteEditsFrom: s('DELETE FROM plan_edits WHERE clip_id = ? AND seq > ?'),
      insertEdit: s('INSERT INTO plan_edits (clip_id, seq, edit_json, after_json, created_at) VALUES (?, ?, ?, ?, ?)'),
      getEdit: s('SELECT after_json FROM plan_edits WHERE clip_id = ? AND seq = ?'),
      listEdits: s('SELECT edit_json FROM plan_edits WHERE clip_id = ? ORDER BY seq'),
      maxEdit: s('SELECT COALESCE(MAX(seq), 0) AS n FROM plan_edits WHERE clip_id = ?'),
      insertGeneration: s('INSERT INTO generations (id, clip_id, generator, params_json, seed, files_json, sync_report_json, created_at, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      nextOrdinal: s('UPDATE clips SET last_generation_ordinal = last_generation_ordinal + 1 WHERE id = ? RETURNING last_generation_ordinal AS n'),
      deleteGeneration: s('DELETE FROM generations WHERE id = ?'),
      setSyncReport: s('UPDATE generations SET sync_report_json = ? WHERE id = ?'),
      getGeneration: s('SELECT * FROM generations WHERE id = ?'),
      listGenerations: s('SELECT * FROM generations WHERE clip_id = ? ORDER BY ordinal DESC'),
      insertExport: s('INSERT INTO exports (id, project_id, generation_id, kind, path, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      listExports: s('SELECT * FROM exports WHERE project_id = ? ORDER BY created_at DESC, id'),
      insertTimelineImport: s(`INSERT INTO timeline_imports (id, project_id, path, format, timeline_json, warnings_json, clip_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`),
      getTimelineImport: s('SELECT * FROM timeline_imports WHERE id = ?'),
      timelineImportForClip: s('SELECT * FROM timeline_imports WHERE clip_id = ? ORDER BY updated_at DESC LIMIT 1'),
      updateTimelineImport: s('UPDATE timeline_imports SET timeline_json = ?, clip_id = ?, updated_at = ? WHERE id = ?'),
    };
  }

  /** Opens or creates the library at `file`; see `openDatabase` for the refusals. */
  static open(file: string, opts: { now?: () => number; nativeBinding?: string } = {}): ProjectStore {
    return new ProjectStore(openDatabase(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}), file, opts.now ?? Date.now);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** `PRAGMA integrity_check` result lines; ['ok'] when sound. */
  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  }

  // ---- projects ----

  createProject(name: string): ProjectSummary {
    const id = newId();
    const t = this.now();
    this.stmts.insertProject!.run(id, name, t, t, t);
    return this.getProject(id);
  }

  getProject(id: string): ProjectSummary {
    const row = this.stmts.getProject!.get(id) as ProjectRow | undefined;
    if (!row) throw new StoreError('PROJECT_NOT_FOUND', `No project with id ${id}; it may have been deleted.`);
    return projectFromRow(row);
  }

  /** Marks a project as just opened (for the recent list) and returns it. */
  openProject(id: string): ProjectSummary {
    this.getProject(id);
    this.stmts.markOpened!.run(this.now(), id);
    return this.getProject(id);
  }

  renameProject(id: string, name: string): ProjectSummary {
    this.getProject(id);
    this.stmts.renameProject!.run(name, this.now(), id);
    return this.getProject(id);
  }

  /**
   * Deletes a project and, through the schema's cascades, its clips, plans with their history,
   * generations, exports and imported timelines, in one transaction. The analysis cache is kept:
   * it is keyed by content, and another project may hold the same media.
   */
  deleteProject(id: string): void {
    this.getProject(id);
    this.db.transaction(() => this.stmts.deleteProject!.run(id))();
  }

  /** Ids of the timelines imported into a project (their conform pictures live under these). */
  timelineImportIds(projectId: string): string[] {
    return (this.stmts.projectTimelineImports!.all(projectId) as Array<{ id: string }>).map((r) => r.id);
  }

  listRecentProjects(limit = 20): ProjectSummary[] {
    return (this.stmts.recentProjects!.all(limit) as ProjectRow[]).map(projectFromRow);
  }

  // ---- clips ----

  /** Adds a clip, or refreshes it when the same path is imported again into the project. */
  addClip(projectId: string, clip: NewClip): ClipRecord {
    return this.db.transaction(() => {
      this.getProject(projectId);
      const t = this.now();
      const existing = this.stmts.clipByPath!.get(projectId, clip.path) as ClipRow | undefined;
      let id: string;
      if (existing) {
        id = existing.id;
        this.stmts.updateClip!.run(clip.size, clip.mtimeMs, clip.contentHash, JSON.stringify(clip.probe), id);
      } else {
        id = newId();
        this.stmts.insertClip!.run(id, projectId, clip.path, clip.size, clip.mtimeMs, clip.contentHash, JSON.stringify(clip.probe), t);
      }
      this.stmts.touchProject!.run(t, projectId);
      return this.getClip(id);
    })();
  }

  getClip(id: string): ClipRecord {
    const row = this.stmts.getClip!.get(id) as ClipRow | undefined;
    if (!row) throw new StoreError('CLIP_NOT_FOUND', `No clip with id ${id}; import the video again.`);
    return clipFromRow(row);
  }

  listClips(projectId: string): ClipRecord[] {
    return (this.stmts.listClips!.all(projectId) as ClipRow[]).map(clipFromRow);
  }

  // ---- analysis cache ----

  /** Stores one analysis part for a file's content; a newer analyser version is a new entry. */
  putAnalysis(contentHash: string, part: string, analyserVersion: string, data: Buffer): void {
    this.stmts.putAnalysis!.run(contentHash, part, analyserVersion, this.now(), data);
  }

  getAnalysis(contentHash: string, part: string, analyserVersion: string): Buffer | null {
    const row = this.stmts.getAnalysis!.get(contentHash, part, analyserVersion) as { data: Buffer } | undefined;
    return row ? row.data : null;
  }

  listAnalysis(contentHash: string): Array<{ part: string; analyserVersion: string; createdAt: number }> {
    return (this.stmts.listAnalysis!.all(contentHash) as Array<{ part: string; analyser_version: string; created_at: number }>).map((r) => ({
      part: r.part, analyserVersion: r.analyser_version, createdAt: r.created_at,
    }));
  }

  // ---- rhythm plans ----

  /** Installs a fresh base plan (e.g. after analysis); this clears the clip's edit history. */
  setBasePlan(clipId: string, plan: RhythmPlan, source: string): RhythmPlanState {
    const clip = this.getClip(clipId);
    validatePlan(plan, clip.probe.durationSec);
    const json = JSON.stringify(plan);
    this.db.transaction(() => {
      this.stmts.upsertBasePlan!.run(clipId, source, json, json, this.now());
      this.stmts.deleteEditsFrom!.run(clipId, 0);
    })();
    return this.getPlan(clipId)!;
  }

  getPlan(clipId: string): RhythmPlanState | null {
    const row = this.stmts.getPlan!.get(clipId) as PlanRow | undefined;
    return row ? this.planState(row) : null;
  }

  /** Applies one user edit: history truncation, the edit and the new state commit together. */
  applyEdit(clipId: string, edit: PlanEdit): RhythmPlanState {
    return this.db.transaction(() => {
      const row = this.requirePlan(clipId);
      const clip = this.getClip(clipId);
      const next = applyPlanEdit(JSON.parse(row.current_json) as RhythmPlan, edit, clip.probe.durationSec);
      const seq = row.cursor + 1;
      const after = JSON.stringify(next);
      const t = this.now();
      this.stmts.deleteEditsFrom!.run(clipId, row.cursor);
      this.stmts.insertEdit!.run(clipId, seq, JSON.stringify(edit), after, t);
      this.stmts.setPlanState!.run(after, seq, t, clipId);
      return this.planState({ ...row, current_json: after, cursor: seq });
    })();
  }

  /**
   * Another planner's ODF, recorded like an edit: one transaction and one undo step, so Undo
   * brings back the previous planner's curve and label. An identical result records nothing.
   */
  replan(clipId: string, step: ReplanStep): RhythmPlanState {
    return this.db.transaction(() => {
      const row = this.requirePlan(clipId);
      const next = replanPlan(JSON.parse(row.current_json) as RhythmPlan, step);
      const after = JSON.stringify(next);
      if (after === row.current_json) return this.planState(row);
      const seq = row.cursor + 1;
      const t = this.now();
      this.stmts.deleteEditsFrom!.run(clipId, row.cursor);
      this.stmts.insertEdit!.run(clipId, seq, JSON.stringify(step), after, t);
      this.stmts.setPlanState!.run(after, seq, t, clipId);
      return this.planState({ ...row, current_json: after, cursor: seq });
    })();
  }

  undo(clipId: string): RhythmPlanState {
    return this.db.transaction(() => {
      const row = this.requirePlan(clipId);
      if (row.cursor === 0) throw new StoreError('NOTHING_TO_UNDO', 'There is no edit to undo.');
      return this.moveCursor(row, row.cursor - 1);
    })();
  }

  redo(clipId: string): RhythmPlanState {
    return this.db.transaction(() => {
      const row = this.requirePlan(clipId);
      if (row.cursor >= this.maxEdit(clipId)) throw new StoreError('NOTHING_TO_REDO', 'There is no undone edit to redo.');
      return this.moveCursor(row, row.cursor + 1);
    })();
  }

  /**
   * Back to the base plan as one recorded step (`{kind: 'reset'}`), so a single undo brings all
   * the edits back. A plan that already equals the base records nothing.
   */
  reset(clipId: string): RhythmPlanState {
    return this.db.transaction(() => {
      const row = this.requirePlan(clipId);
      if (row.current_json === row.base_json) return this.planState(row);
      const seq = row.cursor + 1;
      const t = this.now();
      this.stmts.deleteEditsFrom!.run(clipId, row.cursor);
      this.stmts.insertEdit!.run(clipId, seq, JSON.stringify({ kind: 'reset' }), row.base_json, t);
      this.stmts.setPlanState!.run(row.base_json, seq, t, clipId);
      return this.planState({ ...row, current_json: row.base_json, cursor: seq });
    })();
  }

  /** The base plan, every recorded step in order, and how many are in effect (history panel, checks). */
  planHistory(clipId: string): { base: RhythmPlan; edits: RecordedStep[]; cursor: number } {
    return this.db.transaction(() => {
      const row = this.requirePlan(clipId);
      const edits = (this.stmts.listEdits!.all(clipId) as Array<{ edit_json: string }>).map((r) => JSON.parse(r.edit_json) as RecordedStep);
      return { base: JSON.parse(row.base_json) as RhythmPlan, edits, cursor: row.cursor };
    })();
  }

  private moveCursor(row: PlanRow, cursor: number): RhythmPlanState {
    const json = cursor === 0 ? row.base_json : (this.stmts.getEdit!.get(row.clip_id, cursor) as { after_json: string }).after_json;
    this.stmts.setPlanState!.run(json, cursor, this.now(), row.clip_id);
    return this.planState({ ...row, current_json: json, cursor });
  }

  private requirePlan(clipId: string): PlanRow {
    const row = this.stmts.getPlan!.get(clipId) as PlanRow | undefined;
    if (!row) {
      this.getClip(clipId);
      throw new StoreError('PLAN_NOT_FOUND', 'This clip has no rhythm plan yet; analyse it first.');
    }
    return row;
  }

  private maxEdit(clipId: string): number {
    return (this.stmts.maxEdit!.get(clipId) as { n: number }).n;
  }

  private planState(row: PlanRow): RhythmPlanState {
    return {
      clipId: row.clip_id,
      plan: JSON.parse(row.current_json) as RhythmPlan,
      source: row.source,
      editCount: row.cursor,
      canUndo: row.cursor > 0,
      canRedo: row.cursor < this.maxEdit(row.clip_id),
    };
  }

  // ---- generations and exports ----

  addGeneration(g: { clipId: string; generator: GeneratorName; params: Record<string, unknown>; seed: number; files: Array<Omit<GeneratedFile, 'mediaUrl'>>; syncReport: Record<string, unknown> | null }): GenerationRecord {
    return this.db.transaction(() => {
      this.getClip(g.clipId);
      const id = newId();
      const { n } = this.stmts.nextOrdinal!.get(g.clipId) as { n: number };
      this.stmts.insertGeneration!.run(id, g.clipId, g.generator, JSON.stringify(g.params), g.seed, JSON.stringify(g.files), g.syncReport ? JSON.stringify(g.syncReport) : null, this.now(), n);
      return this.getGeneration(id);
    })();
  }

  /** Removes one generation; the others keep their numbers (exports made from it keep their rows). */
  deleteGeneration(id: string): GenerationRecord {
    return this.db.transaction(() => {
      const g = this.getGeneration(id);
      this.stmts.deleteGeneration!.run(id);
      return g;
    })();
  }

  /** Replaces a generation's stored sync report (after it was measured again against the plan). */
  setSyncReport(id: string, report: Record<string, unknown>): GenerationRecord {
    this.getGeneration(id);
    this.stmts.setSyncReport!.run(JSON.stringify(report), id);
    return this.getGeneration(id);
  }

  getGeneration(id: string): GenerationRecord {
    const row = this.stmts.getGeneration!.get(id) as GenerationRow | undefined;
    if (!row) throw new StoreError('GENERATION_NOT_FOUND', `No generated music with id ${id}.`);
    return generationFromRow(row);
  }

  listGenerations(clipId: string): GenerationRecord[] {
    return (this.stmts.listGenerations!.all(clipId) as GenerationRow[]).map(generationFromRow);
  }

  addExport(e: { projectId: string; generationId: string | null; kind: string; path: string }): ExportInfo {
    this.getProject(e.projectId);
    const id = newId();
    const t = this.now();
    this.stmts.insertExport!.run(id, e.projectId, e.generationId, e.kind, e.path, t);
    return { id, projectId: e.projectId, generationId: e.generationId, kind: e.kind, path: e.path, createdAt: t };
  }

  // ---- imported editor timelines ----

  addTimelineImport(t: { projectId: string; path: string; format: string; timeline: unknown; warnings: string[] }): TimelineImportRecord {
    this.getProject(t.projectId);
    const id = newId();
    const now = this.now();
    this.stmts.insertTimelineImport!.run(id, t.projectId, t.path, t.format, JSON.stringify(t.timeline), JSON.stringify(t.warnings), now, now);
    return this.getTimelineImport(id);
  }

  getTimelineImport(id: string): TimelineImportRecord {
    const row = this.stmts.getTimelineImport!.get(id) as TimelineImportRow | undefined;
    if (!row) throw new StoreError('TIMELINE_NOT_FOUND', `No imported timeline with id ${id}; open the timeline file again.`);
    return timelineImportFromRow(row);
  }

  /** The timeline a clip's picture was made for, or null for a plain video clip. */
  timelineImportForClip(clipId: string): TimelineImportRecord | null {
    const row = this.stmts.timelineImportForClip!.get(clipId) as TimelineImportRow | undefined;
    return row ? timelineImportFromRow(row) : null;
  }

  /** Saves relinked media and, once the picture exists, the clip made from it. */
  updateTimelineImport(id: string, u: { timeline?: unknown; clipId?: string | null }): TimelineImportRecord {
    const cur = this.getTimelineImport(id);
    if (u.clipId) this.getClip(u.clipId);
    this.stmts.updateTimelineImport!.run(JSON.stringify(u.timeline ?? cur.timeline), u.clipId === undefined ? cur.clipId : u.clipId, this.now(), id);
    return this.getTimelineImport(id);
  }

  listExports(projectId: string): ExportInfo[] {
    return (this.stmts.listExports!.all(projectId) as ExportRow[]).map((r) => ({
      id: r.id, projectId: r.project_id, generationId: r.generation_id, kind: r.kind, path: r.path, createdAt: r.created_at,
    }));
  }
}

export interface TimelineImportRecord {
  id: string;
  projectId: string;
  path: string;
  format: string;
  /** The timeline as read (an EditorTimeline), with relinked media paths. */
  timeline: unknown;
  warnings: string[];
  clipId: string | null;
  createdAt: number;
  updatedAt: number;
}

interface TimelineImportRow { id: string; project_id: string; path: string; format: string; timeline_json: string; warnings_json: string; clip_id: string | null; created_at: number; updated_at: number }

function timelineImportFromRow(r: TimelineImportRow): TimelineImportRecord {
  return {
    id: r.id, projectId: r.project_id, path: r.path, format: r.format, timeline: JSON.parse(r.timeline_json) as unknown,
    warnings: JSON.parse(r.warnings_json) as string[], clipId: r.clip_id, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function projectFromRow(r: ProjectRow): ProjectSummary {
  return { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at, openedAt: r.opened_at, clipCount: r.clip_count };
}

function clipFromRow(r: ClipRow): ClipRecord {
  return {
    id: r.id, projectId: r.project_id, path: r.path, size: r.size, mtimeMs: r.mtime_ms, contentHash: r.content_hash,
    probe: JSON.parse(r.probe_json) as ClipProbe, importedAt: r.imported_at,
  };
}

function generationFromRow(r: GenerationRow): GenerationRecord {
  return {
    id: r.id, clipId: r.clip_id, generator: r.generator as GeneratorName, params: JSON.parse(r.params_json) as Record<string, unknown>,
    seed: r.seed, ordinal: r.ordinal, files: JSON.parse(r.files_json) as GenerationRecord['files'],
    syncReport: r.sync_report_json ? (JSON.parse(r.sync_report_json) as Record<string, unknown>) : null, createdAt: r.created_at,
  };
}
