import type { Page } from 'playwright-core';

// An independent look at the app's Web Audio: an init script records every audio context, every
// decode and every buffer source started or stopped (with its schedule), and the master gains.
// The offset is then measured in the page the way a viewer perceives it: for each frame the
// video shows (requestVideoFrameCallback), the music time leaving the speakers at that frame's
// display time (AudioContext.getOutputTimestamp) minus the frame's media time.

export const auditionProbeScript = `(() => {
  const A = { ctxs: [], starts: [], gains: [], decoded: 0 };
  window.__audition = A;
  const AC = window.AudioContext;
  window.AudioContext = class extends AC {
    constructor(...args) { super(...args); A.ctxs.push(this); }
  };
  const B = BaseAudioContext.prototype;
  const decode = B.decodeAudioData;
  B.decodeAudioData = function (...args) { return decode.apply(this, args).then((b) => { A.decoded++; return b; }); };
  const createGain = B.createGain;
  B.createGain = function (...args) { const g = createGain.apply(this, args); A.gains.push(g); return g; };
  const S = AudioBufferSourceNode.prototype;
  const start = S.start, stop = S.stop;
  S.start = function (when = 0, offset = 0, ...rest) {
    A.starts.push({ node: this, when: Math.max(when, this.context.currentTime), offset, rate: this.playbackRate.value, buffer: this.buffer, stopAt: Infinity });
    return start.call(this, when, offset, ...rest);
  };
  S.stop = function (when = 0) {
    const s = A.starts.find((x) => x.node === this);
    if (s) s.stopAt = Math.max(when, this.context.currentTime);
    return stop.call(this, when);
  };
})();`;

export interface OffsetSample {
  /** Music heard minus picture shown, ms (+ = music ahead); null when no music was playing. */
  ms: number | null;
  /** Index of the source heard (in start order). */
  source: number;
  /** The video stalled since music was last heard: a silent frame here is the music waiting for the picture. */
  afterStall: boolean;
}

/**
 * Measures the music/picture offset over the next `frames` frames the video shows. `stalls`:
 * the video's `waiting` events meanwhile — the player stops the music at a stall and starts it
 * again with the next frame shown (20 ms ahead), so on a loaded machine the first frames after
 * a stall may be silent (each sample says whether a stall preceded it since music was last
 * heard); a silent frame without a stall before it is a gap the player made.
 */
export async function measureOffsets(page: Page, frames: number): Promise<{ samples: OffsetSample[]; clock: 'output-timestamp' | 'latency'; stalls: number }> {
  return page.evaluate(async (n) => {
    type Start = { when: number; offset: number; rate: number; stopAt: number };
    const A = (window as unknown as { __audition: { ctxs: AudioContext[]; starts: Start[] } }).__audition;
    const v = document.querySelector('video')!;
    const ctx = A.ctxs[A.ctxs.length - 1]!;
    let clock: 'output-timestamp' | 'latency' = 'output-timestamp';
    const samples: Array<{ ms: number | null; source: number; afterStall: boolean }> = [];
    let stalls = 0;
    let stalled = false;
    const onWaiting = (): void => {
      stalls++;
      stalled = true;
    };
    v.addEventListener('waiting', onWaiting);
    await new Promise<void>((resolve) => {
      const cb = (_now: number, meta: VideoFrameCallbackMetadata): void => {
        const ts = ctx.getOutputTimestamp();
        let heard: number;
        if (ts.performanceTime && ts.contextTime !== undefined) heard = ts.contextTime + (meta.expectedDisplayTime - ts.performanceTime) / 1000;
        else {
          clock = 'latency';
          heard = ctx.currentTime - (ctx.baseLatency || 0) - (ctx.outputLatency || 0) + (meta.expectedDisplayTime - performance.now()) / 1000;
        }
        let source = -1;
        for (let i = A.starts.length - 1; i >= 0; i--) {
          const s = A.starts[i]!;
          if (s.when <= heard && heard < s.stopAt) {
            source = i;
            break;
          }
        }
        const s = source >= 0 ? A.starts[source]! : null;
        samples.push({ ms: s ? (s.offset + (heard - s.when) * s.rate - meta.mediaTime) * 1000 : null, source, afterStall: stalled });
        if (s) stalled = false;
        if (samples.length < n) v.requestVideoFrameCallback(cb);
        else resolve();
      };
      v.requestVideoFrameCallback(cb);
    });
    v.removeEventListener('waiting', onWaiting);
    return { samples, clock, stalls };
  }, frames);
}

/** `silent`: frames that heard no music; `gaps`: those with no stall before them (the player's fault). */
export function summarise(samples: OffsetSample[]): { median: number; p95: number; maxAbs: number; silent: number; gaps: number } {
  const ms = samples.map((s) => s.ms).filter((x): x is number => x !== null);
  const abs = ms.map(Math.abs).sort((a, b) => a - b);
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    median: sorted.length ? sorted[sorted.length >> 1]! : NaN,
    p95: abs.length ? abs[Math.min(abs.length - 1, Math.floor(abs.length * 0.95))]! : NaN,
    maxAbs: abs.length ? abs[abs.length - 1]! : NaN,
    silent: samples.length - ms.length,
    gaps: samples.filter((x) => x.ms === null && !x.afterStall).length,
  };
}
