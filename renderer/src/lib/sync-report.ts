// The generations' sync report arrives as untyped JSON; this reads the parts the UI shows and
// ignores anything it does not recognise.
import { accentsKey } from '../../../electron/shared/accents-key.ts';
import { STRONG_ACCENT, type PlanAccent } from '../../../electron/shared/domain.ts';

/** One strong accent as the check saw it: its nearest music onset, how far off, hit or not. */
export interface AccentOffset {
  time: number;
  /** nearestOnset − time, in ms; null when the music had no onsets at all. */
  offsetMs: number | null;
  hit: boolean;
}

export interface SyncSummary {
  hitRate: number | null;
  hits: number | null;
  accentCount: number;
  /** Accent times the music missed, highlighted on the timeline. */
  missedAccents: number[];
  /** Detected music onsets nearest each accent (the music's own onsets the report saw). */
  onsets: number[];
  onsetF: number | null;
  tempo: number | null;
  /** Every strong accent in time order with its offset (the per-accent table). */
  accents: AccentOffset[];
  /** Offsets of the hits, in ms (what `v2m sync-report` prints). */
  offsets: { meanMs: number; medianMs: number; meanAbsMs: number; stdMs: number } | null;
  /** Per-second beat coverage and hit scores (BCS/BHS, D2M-GAN variant), 0..1. */
  beatScores: { bcs: number; bhs: number } | null;
  /** Fingerprint of the plan's accents it was measured against (null: an older report). */
  accentsKey: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function readSyncReport(report: Record<string, unknown> | null | undefined): SyncSummary | null {
  if (!report || typeof report !== 'object') return null;
  const accents = Array.isArray(report.accents) ? report.accents : [];
  const missed: number[] = [];
  const onsets = new Set<number>();
  const rows: AccentOffset[] = [];
  for (const a of accents) {
    const r = obj(a);
    const time = r ? num(r.time) : null;
    if (!r || time === null) continue;
    if (r.hit === false) missed.push(time);
    const near = num(r.nearestOnset);
    if (near !== null) onsets.add(near);
    const off = num(r.offset);
    rows.push({ time, offsetMs: off === null ? null : off * 1000, hit: r.hit === true });
  }
  const onsetF = obj(report.onsetF) ? num(obj(report.onsetF)!.fMeasure ?? obj(report.onsetF)!.f) : null;
  const o = obj(report.offsets);
  const offsets = o && num(o.mean) !== null && num(o.median) !== null && num(o.meanAbs) !== null && num(o.std) !== null
    ? { meanMs: num(o.mean)! * 1000, medianMs: num(o.median)! * 1000, meanAbsMs: num(o.meanAbs)! * 1000, stdMs: num(o.std)! * 1000 }
    : null;
  const b = obj(report.beatScores);
  const beatScores = b && num(b.bcs) !== null && num(b.bhs) !== null ? { bcs: num(b.bcs)!, bhs: num(b.bhs)! } : null;
  return {
    hitRate: num(report.hitRate),
    hits: num(report.hits),
    accentCount: rows.length,
    missedAccents: missed.sort((x, y) => x - y),
    onsets: [...onsets].sort((x, y) => x - y),
    onsetF,
    tempo: num(report.tempo),
    accents: rows.sort((x, y) => x.time - y.time),
    offsets,
    beatScores,
    accentsKey: typeof report.accentsKey === 'string' ? report.accentsKey : null,
  };
}

/** Two accent times closer than this are the same accent. */
const SAME_SEC = 0.0005;

export type SyncFreshness = { stale: false } | { stale: true; reason: string };

/**
 * Is the report still about this plan? Its stored accents key says exactly; the reason compares
 * the strong accents it measured with the plan's, so the user sees what changed.
 */
export function syncFreshness(summary: SyncSummary, accents: readonly PlanAccent[]): SyncFreshness {
  if (summary.accentsKey === null) {
    return { stale: true, reason: 'This report does not record which plan it was measured against (an older version made it).' };
  }
  if (summary.accentsKey === accentsKey(accents)) return { stale: false };
  const had = summary.accents.map((a) => a.time);
  const now = accents.filter((a) => a.strength >= STRONG_ACCENT).map((a) => a.timeSec);
  const missing = (from: number[], within: number[]) => from.filter((t) => !within.some((u) => Math.abs(u - t) < SAME_SEC)).length;
  let added = missing(now, had);
  let removed = missing(had, now);
  // A moved accent is one gone and one new.
  const moved = Math.min(added, removed);
  added -= moved;
  removed -= moved;
  const n = (k: number, what: string) => `${k} accent${k === 1 ? '' : 's'} ${what}`;
  const parts = [moved ? n(moved, 'moved') : '', added ? n(added, 'added') : '', removed ? n(removed, 'removed') : ''].filter(Boolean);
  return { stale: true, reason: `The plan changed after this was measured: ${parts.length ? parts.join(', ') : 'accent strengths or optional accents changed'}.` };
}
