import { deserialize, serialize } from 'node:v8';
import type { Filmstrip, Waveform } from '../../shared/domain.ts';
import type { VideoAnalysis } from '../video/video-analysis.ts';
import { VIDEO_ANALYSIS_VERSION } from '../video/video-analysis.ts';
import type { WaveformPeaks } from '../video/waveform-peaks.ts';
import { planFromAnalysis, type RhythmPlan as FullRhythmPlan } from '../rhythm/index.ts';

/** Cache key part of every stored analysis; a new analyser version is analysed afresh. */
export const ANALYSER_VERSION = `video-${VIDEO_ANALYSIS_VERSION}`;

export interface StoredFilmstrip {
  intervalSec: number;
  width: number;
  height: number;
  tiles: Array<{ timeSec: number; jpeg: Uint8Array }>;
}

/** The cache keeps typed arrays as they are (v8 serialisation), not as JSON number lists. */
export function encodePart(value: unknown): Buffer {
  return serialize(value);
}

export function decodePart<T>(data: Buffer): T {
  return deserialize(data) as T;
}

/** Splits one analysis into the parts the UI reads separately. */
export function analysisParts(a: VideoAnalysis, plan: FullRhythmPlan = planFromAnalysis(a)): Record<string, Buffer> {
  const { filmstrip, waveform, ...video } = a;
  const parts: Record<string, Buffer> = { video: encodePart(video), plan: encodePart(plan) };
  if (filmstrip) parts.filmstrip = encodePart(filmstrip satisfies StoredFilmstrip);
  if (waveform) parts.waveform = encodePart(waveform);
  return parts;
}

export function filmstripForUi(s: StoredFilmstrip): Filmstrip {
  return {
    intervalSec: s.intervalSec,
    width: s.width,
    height: s.height,
    frames: s.tiles.map((t) => ({ timeSec: t.timeSec, jpegBase64: Buffer.from(t.jpeg).toString('base64') })),
  };
}

/** The stored pyramid as the API sends it: every level, as typed arrays (nothing rebuilt). */
export function waveformForUi(w: WaveformPeaks): Waveform {
  if (w.levels.length === 0) throw new Error('The stored waveform has no levels.');
  return { durationSec: w.frames / w.sampleRate, levels: w.levels.map((l) => ({ perSecond: w.sampleRate / l.samplesPerBucket, min: l.min, max: l.max })) };
}
