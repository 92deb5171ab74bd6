import type { Arrangement } from './arrangement-search.ts';

/** Seam crossfade: it starts this long before the beat… */
export const SEAM_LEAD_SEC = 0.025;
/** …and ends this long after it, so the incoming beat's attack is heard whole. */
export const SEAM_TRAIL_SEC = 0.005;

export interface RenderedRemix {
  /** Interleaved stereo at the track's rate, natural (un-stretched) length. */
  stereo: Float32Array;
  frames: number;
  /** Natural-time sample of each seam. */
  seamFrames: Int32Array;
  fadeSec: number;
}

/** Length of the closing fade when the real ending cannot be kept: two bars, at most 4 s, at most a third of the clip. */
export function fadeLengthSec(naturalSec: number, barSec: number): number {
  return Math.max(0.05, Math.min(4, 2 * barSec, naturalSec / 3));
}

/**
 * Splices the arrangement's segments out of the track. Each seam is an equal-power crossfade
 * (cos/sin, so two uncorrelated signals keep their power) from SEAM_LEAD_SEC before the beat
 * to SEAM_TRAIL_SEC after it; a fade ending closes with a cos² fade over `fadeSec`.
 */
export function renderArrangement(stereo: Float32Array, sampleRate: number, a: Arrangement, barSec: number): RenderedRemix {
  const srcFrames = stereo.length / 2;
  const frames = Math.round(a.naturalSec * sampleRate);
  const out = new Float32Array(frames * 2);
  const seg = a.segments.map((s) => ({ src: Math.round(s.srcStartSec * sampleRate), out: Math.round(s.outStartSec * sampleRate) }));
  const at = (src: number, ch: number) => (src >= 0 && src < srcFrames ? stereo[2 * src + ch]! : 0);
  for (let k = 0; k < seg.length; k++) {
    const o0 = seg[k]!.out, o1 = k + 1 < seg.length ? seg[k + 1]!.out : frames;
    const shift = seg[k]!.src - o0;
    for (let t = Math.max(0, o0); t < Math.min(frames, o1); t++) {
      out[2 * t] = at(t + shift, 0);
      out[2 * t + 1] = at(t + shift, 1);
    }
  }
  const lead = Math.round(SEAM_LEAD_SEC * sampleRate), trail = Math.round(SEAM_TRAIL_SEC * sampleRate);
  const seamFrames = new Int32Array(Math.max(0, seg.length - 1));
  for (let k = 1; k < seg.length; k++) {
    const o = seg[k]!.out;
    seamFrames[k - 1] = o;
    // Outgoing: the previous segment played on past its end; incoming: this one from before its start.
    const prevShift = seg[k - 1]!.src - seg[k - 1]!.out, shift = seg[k]!.src - o;
    const len = lead + trail;
    for (let i = 0; i < len; i++) {
      const t = o - lead + i;
      if (t < 0 || t >= frames) continue;
      const x = (i + 0.5) / len;
      const gOut = Math.cos((Math.PI / 2) * x), gIn = Math.sin((Math.PI / 2) * x);
      for (let ch = 0; ch < 2; ch++) out[2 * t + ch] = gOut * at(t + prevShift, ch) + gIn * at(t + shift, ch);
    }
  }
  let fadeSec = 0;
  if (a.ending === 'fade') {
    fadeSec = fadeLengthSec(a.naturalSec, barSec);
    const n = Math.min(frames, Math.round(fadeSec * sampleRate));
    for (let i = 0; i < n; i++) {
      const t = frames - n + i;
      const g = Math.cos((Math.PI / 2) * ((i + 1) / n)) ** 2;
      out[2 * t] *= g;
      out[2 * t + 1] *= g;
    }
  }
  return { stereo: out, frames, seamFrames, fadeSec };
}

/** Trims or pads (with silence) to exactly `frames`, with a 5 ms fade where audio was cut off. */
export function fitLength(stereo: Float32Array, frames: number, sampleRate: number): Float32Array {
  const have = stereo.length / 2;
  if (have === frames) return stereo;
  const out = new Float32Array(frames * 2);
  out.set(stereo.subarray(0, Math.min(have, frames) * 2));
  if (have > frames) {
    const n = Math.min(frames, Math.round(0.005 * sampleRate));
    for (let i = 0; i < n; i++) {
      const g = (n - i) / n, t = frames - n + i;
      out[2 * t] *= g;
      out[2 * t + 1] *= g;
    }
  }
  return out;
}
