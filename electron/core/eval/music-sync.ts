import { RhythmAnalyzer } from '../audio/index.ts';
import { syncReport, type SyncReport } from './sync-report.ts';
import { STRONG_ACCENT, type PlanAccent } from '../rhythm/index.ts';
import { wavMonoChunks, readWavInfo } from '../mastering/wav-reader.ts';

export interface MusicSyncReport {
  /** Sync report of the accents with strength ≥ 0.5 (the ones the composer must hit). */
  strong: SyncReport;
  /** Accents below 0.5 are optional; how many of them were hit anyway. */
  weakHits: number;
  weakCount: number;
  onsets: number;
}

/**
 * Does the rendered music land on the plan's accents? Our onset detector (librosa-exact
 * onset_strength + onset_detect at 44.1 kHz) runs over the WAV, streamed in chunks, and
 * each accent is matched to the nearest detected onset within ±50 ms.
 */
export async function musicSyncReport(wavPath: string, accents: readonly PlanAccent[], opts: { signal?: AbortSignal; windowSec?: number } = {}): Promise<MusicSyncReport> {
  const info = readWavInfo(wavPath);
  const analyzer = new RhythmAnalyzer({ sampleRate: info.sampleRate, melLR: false, temLR: false, expectedSamples: info.frames });
  let k = 0;
  for (const chunk of wavMonoChunks(wavPath)) {
    opts.signal?.throwIfAborted();
    analyzer.push(chunk);
    if (++k % 16 === 0) await new Promise<void>((r) => setImmediate(r));
  }
  const rhythm = analyzer.finish();
  const durationSec = info.frames / info.sampleRate;
  const toAccent = (a: PlanAccent) => ({ time: a.timeSec, strength: a.strength });
  const strongList = accents.filter((a) => a.strength >= STRONG_ACCENT).map(toAccent);
  const weakList = accents.filter((a) => a.strength < STRONG_ACCENT).map(toAccent);
  const o = { durationSec, tempo: rhythm.tempo, windowSec: opts.windowSec ?? 0.05 };
  const strong = syncReport(strongList, rhythm.onsets, o);
  const weak = weakList.length ? syncReport(weakList, rhythm.onsets, o) : null;
  return { strong, weakHits: weak?.hits ?? 0, weakCount: weakList.length, onsets: rhythm.onsets.length };
}
