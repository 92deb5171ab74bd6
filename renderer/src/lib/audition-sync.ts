// Clock maths for hearing the generated music with the picture. Three clocks meet here: the
// video's media time (of the frame the compositor shows, from requestVideoFrameCallback), the
// page's performance clock, and the audio context's clock. `getOutputTimestamp()` pairs the last
// two: the context time of the sample leaving the speakers at a performance time. Pure, so the
// alignment is pinned by unit tests and the e2e measures the same quantity in Chromium.

/** A shown video frame: its media time and when (performance.now() ms) it is displayed. */
export interface ShownFrame {
  mediaSec: number;
  displayPerfMs: number;
}

/** The audio context's clock pairing, as `AudioContext.getOutputTimestamp()` gives it. */
export interface OutputStamp {
  contextSec: number;
  perfMs: number;
}

/** A playing music source: started at context time `ctxStart` from music time `musicStart`. */
export interface Segment {
  ctxStart: number;
  musicStart: number;
  rate: number;
}

/** The video's media time at a performance time, extrapolated from the last frame shown. */
export function mediaAt(frame: ShownFrame, perfMs: number, rate: number): number {
  return frame.mediaSec + ((perfMs - frame.displayPerfMs) / 1000) * rate;
}

/** When (performance ms) the sample scheduled at context time `ctxSec` is heard. */
export function heardPerfMs(stamp: OutputStamp, ctxSec: number): number {
  return stamp.perfMs + (ctxSec - stamp.contextSec) * 1000;
}

/** The context time being heard at performance time `perfMs`. */
export function heardCtxSec(stamp: OutputStamp, perfMs: number): number {
  return stamp.contextSec + (perfMs - stamp.perfMs) / 1000;
}

/** The music time a segment plays at context time `ctxSec`. */
export function musicAt(seg: Segment, ctxSec: number): number {
  return seg.musicStart + (ctxSec - seg.ctxStart) * seg.rate;
}

/**
 * Where in the music to start a source at context time `ctxStart` so that what is heard then is
 * what the picture shows then: the frame's media time carried forward to the moment of hearing.
 */
export function alignedStart(frame: ShownFrame, stamp: OutputStamp, ctxStart: number, rate: number): Segment {
  return { ctxStart, musicStart: mediaAt(frame, heardPerfMs(stamp, ctxStart), rate), rate };
}

/** Music heard when `frame` is shown minus the frame's media time, in ms (+ = music ahead). */
export function offsetMs(seg: Segment, stamp: OutputStamp, frame: ShownFrame): number {
  return (musicAt(seg, heardCtxSec(stamp, frame.displayPerfMs)) - frame.mediaSec) * 1000;
}

/**
 * The measured offsets of the last frames. A re-alignment (a tiny jump in the music) is asked
 * for only when the median of a full window is beyond `limitMs`, so one late frame or a jittery
 * timestamp never makes the music skip.
 */
export class OffsetWindow {
  private readonly values: number[] = [];

  constructor(private size = 12, private limitMs = 20) {}

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.values.push(ms);
    if (this.values.length > this.size) this.values.shift();
  }

  /** Empties the window; a new `size` lets a fresh start be checked after fewer frames. */
  clear(size = this.size): void {
    this.values.length = 0;
    this.size = size;
  }

  /** Within 60 % of a frame, so a realignment never chases one frame of display jitter. */
  setFrameRate(fps: number): void {
    if (fps > 0) this.limitMs = Math.min(25, Math.max(8, 600 / fps));
  }

  get limit(): number {
    return this.limitMs;
  }

  get count(): number {
    return this.values.length;
  }

  /** Median of the window (0 when empty). */
  get median(): number {
    if (this.values.length === 0) return 0;
    const s = [...this.values].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  }

  get needsRealign(): boolean {
    return this.values.length >= this.size && Math.abs(this.median) > this.limitMs;
  }
}
