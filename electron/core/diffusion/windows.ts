/**
 * Any clip length from a model trained on fixed windows: overlapping windows that start on whole
 * seconds (the conditioning is one row per second), with each hand-over crossfade centred on a
 * scene cut when one falls in the allowed range, so the music changes where the picture does.
 * Key and tempo are not carried from one window to the next (a known limit of the method).
 */
export interface GenerationWindow {
  /** Whole seconds of the clip. */
  startSec: number;
  /** startSec + lengthSec, at most the clip's duration. */
  endSec: number;
  /** Where the crossfade from the previous window is centred (null for the first window). */
  joinSec: number | null;
  /** True when joinSec is a scene cut. */
  joinOnCut: boolean;
}

export interface WindowOptions {
  /** The model's trained length in seconds (30 for Diff-V2M). */
  windowSec: number;
  /** Crossfade length in seconds. */
  overlapSec: number;
  /** Scene cut times, seconds. */
  cuts?: readonly number[];
}

export function planWindows(durationSec: number, o: WindowOptions): GenerationWindow[] {
  const W = o.windowSec, O = o.overlapSec;
  if (!(durationSec > 0) || !Number.isFinite(durationSec)) throw new RangeError(`The clip duration must be a positive number of seconds, got ${durationSec}.`);
  if (!Number.isInteger(W) || W < 2) throw new RangeError(`The window must be a whole number of seconds ≥ 2, got ${W}.`);
  if (!(O > 0) || O > W / 2) throw new RangeError(`The crossfade must be longer than 0 and at most half the window (${W / 2} s), got ${O}.`);
  const cuts = [...(o.cuts ?? [])].filter((c) => c > 0 && c < durationSec).sort((a, b) => a - b);
  const windows: GenerationWindow[] = [{ startSec: 0, endSec: Math.min(W, durationSec), joinSec: null, joinOnCut: false }];
  for (;;) {
    const prev = windows[windows.length - 1]!;
    if (prev.endSec >= durationSec) break;
    const prevEnd = prev.startSec + W;
    // The join must leave the previous window half a crossfade before its end, start late enough
    // to make progress, and leave the next window (starting on a whole second) its first half-fade.
    const lo = prev.startSec + W / 2, hi = prevEnd - O / 2;
    let join = hi, onCut = false;
    for (let i = cuts.length - 1; i >= 0; i--) {
      const c = cuts[i]!;
      if (c <= hi && c >= lo) {
        join = c;
        onCut = true;
        break;
      }
    }
    const startSec = Math.floor(join - O / 2);
    windows.push({ startSec, endSec: Math.min(startSec + W, durationSec), joinSec: join, joinOnCut: onCut });
  }
  return windows;
}

/**
 * Stitches per-window interleaved audio into one buffer of `totalFrames`, with an equal-power
 * crossfade of `overlapSec` centred on each window's join.
 */
export function stitchWindows(
  windows: readonly GenerationWindow[],
  audio: readonly Float32Array[],
  o: { sampleRate: number; channels: number; overlapSec: number; totalFrames: number },
): Float32Array {
  if (audio.length !== windows.length) throw new RangeError('One audio buffer per window is needed.');
  const { sampleRate: sr, channels: ch } = o;
  const out = new Float32Array(o.totalFrames * ch);
  const half = (o.overlapSec / 2) * sr;
  windows.forEach((w, k) => {
    const a = audio[k]!;
    const start = Math.round(w.startSec * sr);
    const fadeIn = w.joinSec === null ? null : { c: w.joinSec * sr };
    const next = windows[k + 1];
    const fadeOut = next && next.joinSec !== null ? { c: next.joinSec * sr } : null;
    const frames = a.length / ch;
    for (let i = 0; i < frames; i++) {
      const f = start + i;
      if (f >= o.totalFrames) break;
      let g = 1;
      if (fadeIn) g *= rampUp(f, fadeIn.c, half);
      if (fadeOut) g *= rampDown(f, fadeOut.c, half);
      if (g === 0) continue;
      for (let c = 0; c < ch; c++) out[f * ch + c] += g * a[i * ch + c]!;
    }
  });
  return out;
}

/** Equal-power fade-in gain: 0 before c−half, 1 after c+half (sin² + cos² = 1 across the join). */
function rampUp(f: number, c: number, half: number): number {
  if (f <= c - half) return 0;
  if (f >= c + half) return 1;
  return Math.sin(((f - (c - half)) / (2 * half)) * (Math.PI / 2));
}

function rampDown(f: number, c: number, half: number): number {
  if (f <= c - half) return 1;
  if (f >= c + half) return 0;
  return Math.cos(((f - (c - half)) / (2 * half)) * (Math.PI / 2));
}
