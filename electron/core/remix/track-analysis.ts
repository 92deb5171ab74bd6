import { MIN_ANALYSIS_SAMPLES, pulseFromMelDb } from '../audio/index.ts';
import { decodeAudio, isAbortError, probe, type MediaInfo } from '../media/index.ts';
import { beatFeatures, FEATURE_HOP, frameFeatures, type BeatFeatures, type FrameFeatures } from './beat-features.ts';
import { estimateMeter, sectionStarts } from './downbeats.ts';
import { RemixError } from './remix-error.ts';

export const TRACK_SAMPLE_RATE = 44100;
/** Longer tracks are refused before decoding: an hour of stereo float PCM is 1.3 GB. */
export const MAX_TRACK_SEC = 3600;
export const MIN_BARS = 4;
/** Mean square below this (−60 dBFS) is silence. */
const SILENCE_POWER = 1e-6;
/**
 * The beat tracker always answers; a real pulse puts clearly more onset energy on its beats
 * than between them. Below this ratio (mean flux at beats / mean flux) there is no beat to fit.
 */
export const MIN_PULSE_CLARITY = 2;

/** A decoded track: interleaved stereo at TRACK_SAMPLE_RATE plus its mono mix for analysis. */
export interface DecodedTrack {
  path: string;
  sampleRate: number;
  stereo: Float32Array;
  mono: Float32Array;
  frames: number;
  info: MediaInfo;
}

export interface TrackAnalysis {
  sampleRate: number;
  durationSec: number;
  tempoBpm: number;
  /** Beat times (s), ascending. */
  beats: Float64Array;
  beatsPerBar: number;
  /** Beat index of each bar's first beat. */
  barStarts: Int32Array;
  /** Per beat: 1 on a downbeat. */
  downbeat: Uint8Array;
  /** Per beat: 1 where a section starts (always on a downbeat). */
  sectionStart: Uint8Array;
  /** Position of each beat in its bar (0 = downbeat); beats before the first bar count back from it. */
  beatInBar: Int32Array;
  /** Detected onsets (s) and the louder quarter of them. */
  onsets: Float64Array;
  strongOnsets: Float64Array;
  features: BeatFeatures;
  /** The frame-level spectra behind them (seam-flux prediction reads these). */
  frames: FrameFeatures;
  /** The 95th percentile of the flux at beat positions: what a seam must stay under. */
  beatFluxP95: number;
  /** Mean flux at beats over mean flux overall. */
  pulseClarity: number;
  meterContrast: number;
}

function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (!s.length) return 0;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function describe(file: string, e: unknown): never {
  if (isAbortError(e)) throw e;
  throw new RemixError('TRACK_UNREADABLE', `Cannot use ${file} as the music: ${(e as Error).message}`, { cause: e });
}

/** Probes first (refusing an over-long track without decoding it), then decodes to stereo at 44.1 kHz. */
export async function loadTrack(file: string, o: { signal?: AbortSignal; onProgress?: (fraction: number) => void; maxDurationSec?: number } = {}): Promise<DecodedTrack> {
  let info: MediaInfo;
  try {
    info = await probe(file, { signal: o.signal });
  } catch (e) {
    describe(file, e);
  }
  if (!info.audio) throw new RemixError('TRACK_UNREADABLE', `Cannot use ${file} as the music: it has no audio stream.`);
  const max = o.maxDurationSec ?? MAX_TRACK_SEC;
  if (info.durationSec > max) {
    throw new RemixError('TRACK_TOO_LONG', `The music ${file} lasts ${(info.durationSec / 60).toFixed(1)} minutes; a remix source may last at most ${max / 60} minutes. Trim it first.`);
  }
  let pcm;
  try {
    pcm = await decodeAudio(file, {
      sampleRate: TRACK_SAMPLE_RATE, channels: 2, resampler: 'soxr', info, signal: o.signal,
      onProgress: (p) => p.fraction !== undefined && o.onProgress?.(p.fraction),
    });
  } catch (e) {
    describe(file, e);
  }
  if (pcm.frames === 0) throw new RemixError('TRACK_UNREADABLE', `Cannot use ${file} as the music: it decodes to no audio at all.`);
  const mono = new Float32Array(pcm.frames);
  for (let i = 0; i < pcm.frames; i++) mono[i] = 0.5 * (pcm.samples[2 * i]! + pcm.samples[2 * i + 1]!);
  return { path: file, sampleRate: TRACK_SAMPLE_RATE, stereo: pcm.samples, mono, frames: pcm.frames, info };
}

/**
 * Beats (librosa's tracker), meter and downbeats, sections and the beat-level description the
 * arrangement search compares. Throws a RemixError a user can act on for silence, no pulse, or
 * a track under four bars.
 */
export function analyzeTrack(mono: Float32Array, sampleRate: number, name = 'The music'): TrackAnalysis {
  const durationSec = mono.length / sampleRate;
  let power = 0;
  for (let i = 0; i < mono.length; i++) power += mono[i]! * mono[i]!;
  if (!(power / Math.max(1, mono.length) >= SILENCE_POWER)) {
    throw new RemixError('TRACK_SILENT', `${name} is silent (below −60 dBFS): there is nothing to remix.`);
  }
  if (mono.length < MIN_ANALYSIS_SAMPLES) {
    throw new RemixError('TRACK_TOO_SHORT', `${name} is ${(durationSec * 1000).toFixed(0)} ms long; a remix needs at least ${MIN_BARS} bars of music.`);
  }
  // One STFT pass: the beat tracker reads the same mel dB spectrogram the beat features do.
  const ff = frameFeatures(mono, sampleRate);
  const rhythm = pulseFromMelDb(ff.melDb, mono.length, sampleRate);
  const beats = rhythm.beats;
  const env = rhythm.onsetStrength;
  let clarity = 0;
  if (beats.length >= 2) {
    let all = 0;
    for (const v of env) all += v;
    all /= env.length;
    let at = 0;
    for (const t of beats) {
      const k = Math.round((t * sampleRate) / FEATURE_HOP);
      let m = 0;
      for (let j = Math.max(0, k - 1); j <= Math.min(env.length - 1, k + 1); j++) m = Math.max(m, env[j]!);
      at += m;
    }
    clarity = all > 0 ? at / beats.length / all : 0;
  }
  if (beats.length < 2 || clarity < MIN_PULSE_CLARITY) {
    throw new RemixError('NO_BEAT', `${name} has no beat that can be followed (${beats.length} beats found, pulse clarity ${clarity.toFixed(2)}); a remix needs music with a steady pulse.`);
  }
  const features = beatFeatures(ff, beats, durationSec);
  const meter = estimateMeter(features);
  const m = meter.beatsPerBar;
  const starts: number[] = [];
  for (let i = meter.phase; i + m <= beats.length; i += m) starts.push(i);
  if (starts.length < MIN_BARS) {
    throw new RemixError('TRACK_TOO_SHORT', `${name} holds ${starts.length} whole bar${starts.length === 1 ? '' : 's'} (${durationSec.toFixed(1)} s at ${rhythm.tempo.toFixed(0)} BPM); a remix needs at least ${MIN_BARS}.`);
  }
  const barStarts = Int32Array.from(starts);
  const downbeat = new Uint8Array(beats.length);
  for (const s of starts) downbeat[s] = 1;
  const beatInBar = new Int32Array(beats.length);
  for (let i = 0; i < beats.length; i++) beatInBar[i] = (((i - meter.phase) % m) + m) % m;
  const sectionStart = new Uint8Array(beats.length);
  for (const b of sectionStarts(features, barStarts)) sectionStart[barStarts[b]!] = 1;
  const onsetValues = Array.from(rhythm.onsets, (t) => env[Math.min(env.length - 1, Math.round((t * sampleRate) / FEATURE_HOP))]!);
  const strongThr = quantile(onsetValues, 0.75);
  const strongOnsets = Float64Array.from(rhythm.onsets.filter((_, i) => onsetValues[i]! >= strongThr));
  return {
    sampleRate, durationSec, tempoBpm: rhythm.tempo, beats, beatsPerBar: m, barStarts, downbeat, sectionStart, beatInBar,
    onsets: rhythm.onsets, strongOnsets, features, frames: ff, beatFluxP95: quantile(features.flux, 0.95), pulseClarity: clarity,
    meterContrast: meter.contrast,
  };
}
