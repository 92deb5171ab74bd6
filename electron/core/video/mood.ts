import type { ColourStats } from './colour-stats.ts';
import { lowerBound } from '../../shared/sorted-search.ts';

/** Readable mood of a stretch of video; the composer and the UI use these. */
export interface MoodDescriptors extends ColourStats {
  /** Mean visual-rhythm curve value, 0 (still) .. 1. */
  motionEnergy: number;
  /** Cuts per minute. */
  cutRate: number;
  /** −1 (negative) .. 1 (positive); see `valenceArousal`. */
  valence: number;
  /** −1 (calm) .. 1 (excited); see `valenceArousal`. */
  arousal: number;
}

/** Cuts per minute at which `cutRate` counts as fully hectic (one cut every 2 s). */
export const HECTIC_CUT_RATE = 30;
/** Hasler–Süsstrunk's "extremely colourful" threshold. */
export const FULL_COLOURFULNESS = 109;

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/**
 * Valence/arousal estimate (both −1..1). The colour terms are Valdez & Mehrabian's (1994)
 * regressions of pleasure and arousal on brightness B and saturation S; following Hanjalic &
 * Xu (2005), arousal also rises with motion and with the cutting rate.
 *   P = (0.69·B + 0.22·S) / 0.91                          colour pleasure, 0..1
 *   A = clamp((−0.31·B + 0.60·S + 0.31) / 0.91, 0, 1)     colour arousal, 0..1
 *   C = min(1, colourfulness / 109),  W = (1 + clamp(2·warmth, −1, 1)) / 2
 *   m = motionEnergy,  d = min(1, cutRate / 30)
 *   valence = 2·(0.70·P + 0.15·C + 0.15·W) − 1
 *   arousal = 2·(0.30·A + 0.40·m + 0.30·d) − 1
 */
export function valenceArousal(c: ColourStats, motionEnergy: number, cutRate: number): { valence: number; arousal: number } {
  const b = clamp(c.brightness, 0, 1), s = clamp(c.saturation, 0, 1);
  const p = (0.69 * b + 0.22 * s) / 0.91;
  const a = clamp((-0.31 * b + 0.6 * s + 0.31) / 0.91, 0, 1);
  const col = Math.min(1, Math.max(0, c.colourfulness) / FULL_COLOURFULNESS);
  const w = (1 + clamp(2 * c.warmth, -1, 1)) / 2;
  const m = clamp(motionEnergy, 0, 1);
  const d = Math.min(1, Math.max(0, cutRate) / HECTIC_CUT_RATE);
  return {
    valence: clamp(2 * (0.7 * p + 0.15 * col + 0.15 * w) - 1, -1, 1),
    arousal: clamp(2 * (0.3 * a + 0.4 * m + 0.3 * d) - 1, -1, 1),
  };
}

export function moodOf(c: ColourStats, motionEnergy: number, cutRate: number): MoodDescriptors {
  return { ...c, motionEnergy, cutRate, ...valenceArousal(c, motionEnergy, cutRate) };
}

/** Per-second mood as parallel typed arrays (one entry per second of the clip). */
export interface MoodSeries {
  brightness: Float32Array;
  saturation: Float32Array;
  warmth: Float32Array;
  colourfulness: Float32Array;
  motionEnergy: Float32Array;
  cutRate: Float32Array;
  valence: Float32Array;
  arousal: Float32Array;
}

export interface SceneMood extends MoodDescriptors {
  startSec: number;
  endSec: number;
}

export interface MoodInput {
  durationSec: number;
  /** Start time of the clip's first frame. */
  startSec: number;
  seconds: number;
  /** Colour of the 1-fps samples and their times, in time order (frame times too). */
  sampleTimes: ArrayLike<number>;
  sampleColours: readonly ColourStats[];
  frameTimes: ArrayLike<number>;
  curve: ArrayLike<number>;
  cutTimes: ArrayLike<number>;
}

/** Half-width of the window over which a second's cut rate is counted, seconds. */
export const CUT_RATE_HALF_WINDOW_SEC = 5;

/** The last sample taken before `end` (else the first), so a stretch with no sample borrows colour. */
function colourBefore(m: MoodInput, end: number): ColourStats {
  return m.sampleColours[Math.max(0, lowerBound(m.sampleTimes, end) - 1)]!;
}

/** Mean of the curve over frames starting in [t0, t1), from prefix sums: O(log n) per query. */
function curveMeans(m: MoodInput): (t0: number, t1: number) => number {
  const prefix = new Float64Array(m.curve.length + 1);
  for (let i = 0; i < m.curve.length; i++) prefix[i + 1] = prefix[i]! + m.curve[i]!;
  return (t0, t1) => {
    const a = lowerBound(m.frameTimes, t0), b = lowerBound(m.frameTimes, t1);
    return b > a ? (prefix[b]! - prefix[a]!) / (b - a) : 0;
  };
}

function averageColour(list: readonly ColourStats[]): ColourStats {
  const n = list.length;
  const sum = { brightness: 0, saturation: 0, warmth: 0, colourfulness: 0 };
  for (const c of list) {
    sum.brightness += c.brightness;
    sum.saturation += c.saturation;
    sum.warmth += c.warmth;
    sum.colourfulness += c.colourfulness;
  }
  return { brightness: sum.brightness / n, saturation: sum.saturation / n, warmth: sum.warmth / n, colourfulness: sum.colourfulness / n };
}

/**
 * Mood for each second s = [s, s+1): colour of that second's sample, mean motion of its frames,
 * and the cut rate counted over ±5 s around it (clipped to the clip, in cuts per minute).
 */
export function perSecondMood(m: MoodInput): MoodSeries {
  const n = m.seconds;
  const series: MoodSeries = {
    brightness: new Float32Array(n), saturation: new Float32Array(n), warmth: new Float32Array(n),
    colourfulness: new Float32Array(n), motionEnergy: new Float32Array(n), cutRate: new Float32Array(n),
    valence: new Float32Array(n), arousal: new Float32Array(n),
  };
  if (m.sampleColours.length === 0) return series;
  const end = m.startSec + m.durationSec;
  const meanCurve = curveMeans(m);
  const cuts = Float64Array.from(m.cutTimes).sort();
  for (let s = 0; s < n; s++) {
    const c = colourBefore(m, s + 1);
    const motion = meanCurve(s, s + 1);
    const w0 = Math.max(m.startSec, s + 0.5 - CUT_RATE_HALF_WINDOW_SEC);
    const w1 = Math.min(end, s + 0.5 + CUT_RATE_HALF_WINDOW_SEC);
    const count = lowerBound(cuts, w1) - lowerBound(cuts, w0);
    const rate = w1 > w0 ? (count * 60) / (w1 - w0) : 0;
    const d = moodOf(c, motion, rate);
    for (const k of Object.keys(series) as (keyof MoodSeries)[]) series[k][s] = d[k];
  }
  return series;
}

/**
 * Mood per scene (scenes run from one cut to the next): mean colour of the samples inside it
 * (the last earlier sample for a scene shorter than the sampling interval), mean motion of its
 * frames, and its shot rate 60 / length as the cut rate.
 */
export function perSceneMood(m: MoodInput): SceneMood[] {
  if (m.sampleColours.length === 0) return [];
  const end = m.startSec + m.durationSec;
  const bounds = [m.startSec, ...Array.from(m.cutTimes).filter((t) => t > m.startSec && t < end), end];
  const scenes: SceneMood[] = [];
  const meanCurve = curveMeans(m);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const t0 = bounds[i]!, t1 = bounds[i + 1]!;
    const inside = m.sampleColours.slice(lowerBound(m.sampleTimes, t0), lowerBound(m.sampleTimes, t1));
    const colour = inside.length ? averageColour(inside) : colourBefore(m, t1);
    const len = t1 - t0;
    scenes.push({ startSec: t0, endSec: t1, ...moodOf(colour, meanCurve(t0, t1), len > 0 ? 60 / len : 0) });
  }
  return scenes;
}

/** Whole-clip mood: the mean of the per-second series, with the clip's overall cut rate. */
export function overallMood(series: MoodSeries, cutCount: number, durationSec: number): MoodDescriptors {
  const n = series.brightness.length;
  const mean = (a: Float32Array) => {
    let s = 0;
    for (const v of a) s += v;
    return n ? s / n : 0;
  };
  const colour: ColourStats = {
    brightness: mean(series.brightness),
    saturation: mean(series.saturation),
    warmth: mean(series.warmth),
    colourfulness: mean(series.colourfulness),
  };
  return moodOf(colour, mean(series.motionEnergy), durationSec > 0 ? (cutCount * 60) / durationSec : 0);
}

/** A few words for the CLI summary. */
export function describeMood(d: MoodDescriptors): string {
  const v = d.valence > 0.2 ? 'positive' : d.valence < -0.2 ? 'dark' : 'neutral';
  const a = d.arousal > 0.2 ? 'energetic' : d.arousal < -0.2 ? 'calm' : 'moderate';
  return `${v}, ${a}`;
}
