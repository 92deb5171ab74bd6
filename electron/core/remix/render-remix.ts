import os from 'node:os';
import type { Arrangement } from './arrangement-search.ts';

/** Seam crossfade: it starts this long before the beat… */
export const SEAM_LEAD_SEC = 0.025;
/** …and ends this long after it, so the incoming beat's attack is heard whole. */
export const SEAM_TRAIL_SEC = 0.005;
/**
 * The seam's equal-power crossfade (cos/sin, so two uncorrelated signals keep their power),
 * sample by sample from `lead` samples before the beat: the render's, and what SeamFlux previews.
 */
export function seamCrossfade(sampleRate: number): { lead: number; trail: number; gOut: Float64Array; gIn: Float64Array } {
  const lead = Math.round(SEAM_LEAD_SEC * sampleRate), trail = Math.round(SEAM_TRAIL_SEC * sampleRate);
  const len = lead + trail;
  const gOut = Float64Array.from({ length: len }, (_, i) => Math.cos((Math.PI / 2) * ((i + 0.5) / len)));
  const gIn = Float64Array.from({ length: len }, (_, i) => Math.sin((Math.PI / 2) * ((i + 0.5) / len)));
  return { lead, trail, gOut, gIn };
}
/** Source each nudged segment carries either side: room for the crossfades and the stretcher's edges. */
const MARGIN_SEC = 0.1;
/** Factors this close to 1 are played as recorded (0.05 % is below any audible tempo change). */
const UNNUDGED = 5e-4;

/** At most this many stretches run at once (and never more than the machine has cores). */
const STRETCH_CONCURRENCY = 4;

/** Runs the jobs at most `limit` at a time; results in the jobs' order. The first failure is thrown once all started ones have settled. */
async function runBounded<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0, failed = false, error: unknown;
  const worker = async () => {
    while (!failed && next < jobs.length) {
      const i = next++;
      try {
        out[i] = await jobs[i]!();
      } catch (e) {
        if (!failed) error = e;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  if (failed) throw error;
  return out;
}

/** Stretches interleaved stereo PCM to `lengthFactor` × its length, pitch kept (core/media's timeStretch). */
export type Stretcher = (stereo: Float32Array, lengthFactor: number) => Promise<Float32Array>;

export interface RenderedRemix {
  /** Interleaved stereo at the track's rate, exactly round(durationSec · rate) frames. */
  stereo: Float32Array;
  frames: number;
  /** Output frame of each seam. */
  seamFrames: Int32Array;
  fadeSec: number;
}

/** Length of the closing fade when the real ending cannot be kept: two bars, at most 4 s, at most a third of the clip. */
export function fadeLengthSec(durationSec: number, barSec: number): number {
  return Math.max(0.05, Math.min(4, 2 * barSec, durationSec / 3));
}

/** One segment's audio on the output timeline: sample at output frame t is buf[t − start]. */
interface Placed {
  buf: Float32Array;
  start: number;
}

/**
 * Splices the arrangement out of the track. A nudged segment is stretched on its own (with a
 * margin of source either side); each seam is an equal-power crossfade (cos/sin, so two
 * uncorrelated signals keep their power) from SEAM_LEAD_SEC before the beat to SEAM_TRAIL_SEC
 * after it; a fade ending closes with a cos² fade over `fadeSec`.
 */
export async function renderArrangement(stereo: Float32Array, sampleRate: number, a: Arrangement, barSec: number, stretch: Stretcher): Promise<RenderedRemix> {
  const srcFrames = stereo.length / 2;
  const frames = Math.round(a.durationSec * sampleRate);
  const out = new Float32Array(frames * 2);
  const margin = Math.round(MARGIN_SEC * sampleRate);
  const bounds: number[] = [];
  const jobs: (() => Promise<Placed>)[] = [];
  for (const s of a.segments) {
    const src0 = Math.round(s.srcStartSec * sampleRate), o0 = Math.round(s.outStartSec * sampleRate);
    bounds.push(o0);
    if (Math.abs(s.lengthFactor - 1) <= UNNUDGED) {
      // As recorded: a view of the whole track, shifted into place.
      jobs.push(async () => ({ buf: stereo, start: o0 - src0 }));
      continue;
    }
    const from = Math.max(0, src0 - margin), to = Math.min(srcFrames, Math.round(s.srcEndSec * sampleRate) + margin);
    jobs.push(async () => ({ buf: await stretch(stereo.subarray(2 * from, 2 * to), s.lengthFactor), start: o0 - Math.round((src0 - from) * s.lengthFactor) }));
  }
  // The stretches are separate ffmpeg runs: a few at a time, one per core.
  const placed = await runBounded(jobs, Math.max(1, Math.min(STRETCH_CONCURRENCY, os.availableParallelism())));
  const at = (p: Placed, t: number, ch: number) => {
    const i = t - p.start;
    return i >= 0 && 2 * i < p.buf.length ? p.buf[2 * i + ch]! : 0;
  };
  for (let k = 0; k < placed.length; k++) {
    const o1 = k + 1 < placed.length ? bounds[k + 1]! : frames;
    for (let t = Math.max(0, bounds[k]!); t < Math.min(frames, o1); t++) {
      out[2 * t] = at(placed[k]!, t, 0);
      out[2 * t + 1] = at(placed[k]!, t, 1);
    }
  }
  const { lead, gOut, gIn } = seamCrossfade(sampleRate);
  const seamFrames = Int32Array.from(bounds.slice(1));
  for (let k = 1; k < placed.length; k++) {
    const o = bounds[k]!;
    for (let i = 0; i < gOut.length; i++) {
      const t = o - lead + i;
      if (t < 0 || t >= frames) continue;
      for (let ch = 0; ch < 2; ch++) out[2 * t + ch] = gOut[i]! * at(placed[k - 1]!, t, ch) + gIn[i]! * at(placed[k]!, t, ch);
    }
  }
  let fadeSec = 0;
  if (a.ending === 'fade') {
    fadeSec = fadeLengthSec(a.durationSec, barSec);
    const n = Math.min(frames, Math.round(fadeSec * sampleRate));
    for (let i = 0; i < n; i++) {
      const t = frames - n + i;
      const g = Math.cos((Math.PI / 2) * ((i + 1) / n)) ** 2;
      out[2 * t] *= g;
      out[2 * t + 1] *= g;
    }
  } else {
    // The stretcher may come up a few samples short of the real ending's last sample: a 5 ms fade hides the edge.
    const n = Math.min(frames, Math.round(0.005 * sampleRate));
    for (let i = 0; i < n; i++) {
      const t = frames - n + i, g = (n - i) / n;
      out[2 * t] *= g;
      out[2 * t + 1] *= g;
    }
  }
  return { stereo: out, frames, seamFrames, fadeSec };
}
