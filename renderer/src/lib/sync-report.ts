// The generations' sync report arrives as untyped JSON; this reads the parts the UI shows and
// ignores anything it does not recognise.

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
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readSyncReport(report: Record<string, unknown> | null | undefined): SyncSummary | null {
  if (!report || typeof report !== 'object') return null;
  const accents = Array.isArray(report.accents) ? report.accents : [];
  const missed: number[] = [];
  const onsets = new Set<number>();
  let counted = 0;
  for (const a of accents) {
    if (!a || typeof a !== 'object') continue;
    const time = num((a as Record<string, unknown>).time);
    if (time === null) continue;
    counted++;
    if ((a as Record<string, unknown>).hit === false) missed.push(time);
    const near = num((a as Record<string, unknown>).nearestOnset);
    if (near !== null) onsets.add(near);
  }
  const onsetF = report.onsetF && typeof report.onsetF === 'object' ? num((report.onsetF as Record<string, unknown>).fMeasure ?? (report.onsetF as Record<string, unknown>).f) : null;
  return {
    hitRate: num(report.hitRate),
    hits: num(report.hits),
    accentCount: counted,
    missedAccents: missed.sort((x, y) => x - y),
    onsets: [...onsets].sort((x, y) => x - y),
    onsetF,
    tempo: num(report.tempo),
  };
}
