import type { MusicTrackInfo } from '../../shared/domain.ts';
import { analyzeTrack, loadTrack } from './track-analysis.ts';

/** Min/max peaks of mono audio, about `buckets` of them over the whole track (at most 100 a second). */
export function monoPeaks(mono: Float32Array, sampleRate: number, buckets = 1500): MusicTrackInfo['peaks'] {
  const per = Math.max(Math.ceil(sampleRate / 100), Math.ceil(mono.length / buckets));
  const n = Math.ceil(mono.length / per);
  const min = new Array<number>(n), max = new Array<number>(n);
  for (let b = 0; b < n; b++) {
    let lo = 0, hi = 0;
    for (let i = b * per, end = Math.min(mono.length, i + per); i < end; i++) {
      const v = mono[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[b] = lo;
    max[b] = hi;
  }
  return { perSecond: sampleRate / per, min, max };
}

/** What the app shows of the user's track before remixing it; throws the remix's own RemixError when it cannot be used. */
export async function describeMusic(file: string, signal?: AbortSignal): Promise<MusicTrackInfo> {
  const track = await loadTrack(file, { signal });
  const ta = analyzeTrack(track.mono, track.sampleRate, `The music ${file}`);
  const at = (b: number) => ta.beats[b]!;
  const sections: number[] = [];
  for (let i = 0; i < ta.beats.length; i++) if (ta.sectionStart[i]) sections.push(at(i));
  return {
    path: file,
    durationSec: ta.durationSec,
    tempoBpm: ta.tempoBpm,
    beatsPerBar: ta.beatsPerBar,
    beats: Array.from(ta.beats),
    downbeats: Array.from(ta.barStarts, at),
    sections,
    peaks: monoPeaks(track.mono, track.sampleRate),
  };
}
