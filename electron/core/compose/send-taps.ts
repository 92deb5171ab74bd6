import type { ChorusProcessor, ChorusProcessorSnapshot, DelayProcessor, DelayProcessorSnapshot, ReverbProcessor, ReverbProcessorSnapshot } from 'spessasynth_core';

/** The effect parameters of one synthesizer, as spessasynth's snapshots give them. */
export interface EffectParams {
  reverb: ReverbProcessorSnapshot;
  chorus: ChorusProcessorSnapshot;
  delay: DelayProcessorSnapshot;
}

/** One chunk of a synthesizer's mono effect sends (the inputs its effect processors would get). */
export interface SendChunk {
  reverb: Float32Array;
  chorus: Float32Array;
  /** Null while the delay is off (spessasynth runs it only when a send to it is up). */
  delay: Float32Array | null;
  params: EffectParams;
}

/**
 * Keeps each call's input in a chunk-sized buffer, at the call's place in the chunk (the
 * synthesizer's output offset), instead of running the effect.
 */
class Capture {
  readonly buf: Float32Array;
  used = false;
  constructor(size: number) {
    this.buf = new Float32Array(size);
  }

  take(input: Float32Array, at: number, n: number): void {
    this.buf.set(input.subarray(0, n), at);
    this.used = true;
  }
}

class ReverbTap implements ReverbProcessor {
  level = 0; preLowpass = 0; character = 0; time = 0; delayFeedback = 0; preDelayTime = 0;
  constructor(private readonly c: Capture) {}
  process(input: Float32Array, _l: Float32Array, _r: Float32Array, start: number, n: number): void {
    this.c.take(input, start, n);
  }

  getSnapshot(): ReverbProcessorSnapshot {
    const { level, preLowpass, character, time, delayFeedback, preDelayTime } = this;
    return { level, preLowpass, character, time, delayFeedback, preDelayTime };
  }
}

class ChorusTap implements ChorusProcessor {
  level = 0; preLowpass = 0; feedback = 0; delay = 0; rate = 0; depth = 0; sendLevelToReverb = 0; sendLevelToDelay = 0;
  constructor(private readonly c: Capture) {}
  process(input: Float32Array, _l: Float32Array, _r: Float32Array, _rev: Float32Array, _dly: Float32Array, start: number, n: number): void {
    this.c.take(input, start, n);
  }

  getSnapshot(): ChorusProcessorSnapshot {
    const { level, preLowpass, feedback, delay, rate, depth, sendLevelToReverb, sendLevelToDelay } = this;
    return { level, preLowpass, feedback, delay, rate, depth, sendLevelToReverb, sendLevelToDelay };
  }
}

class DelayTap implements DelayProcessor {
  level = 0; preLowpass = 0; timeCenter = 0; timeRatioLeft = 0; timeRatioRight = 0; levelCenter = 0; levelLeft = 0; levelRight = 0; feedback = 0; sendLevelToReverb = 0;
  constructor(private readonly c: Capture) {}
  process(input: Float32Array, _l: Float32Array, _r: Float32Array, _rev: Float32Array, start: number, n: number): void {
    this.c.take(input, start, n);
  }

  getSnapshot(): DelayProcessorSnapshot {
    const { level, preLowpass, timeCenter, timeRatioLeft, timeRatioRight, levelCenter, levelLeft, levelRight, feedback, sendLevelToReverb } = this;
    return { level, preLowpass, timeCenter, timeRatioLeft, timeRatioRight, levelCenter, levelLeft, levelRight, feedback, sendLevelToReverb };
  }
}

/**
 * Stand-ins for a synthesizer's effect processors that record what would go into them (the
 * mono sends of every voice, chunk by chunk) and keep the parameters the synthesizer sets on
 * them. The effects are linear, so the sends of several synthesizers can be summed and run
 * through one set of real processors (effects-bus.ts): one reverb for the whole mix instead of
 * one per thread. The chorus's own feed into reverb and delay is left to the real chorus.
 */
export class SendTaps {
  private readonly r: Capture;
  private readonly c: Capture;
  private readonly d: Capture;
  readonly reverb: ReverbTap;
  readonly chorus: ChorusTap;
  readonly delay: DelayTap;

  constructor(private readonly chunk: number) {
    this.r = new Capture(chunk);
    this.c = new Capture(chunk);
    this.d = new Capture(chunk);
    this.reverb = new ReverbTap(this.r);
    this.chorus = new ChorusTap(this.c);
    this.delay = new DelayTap(this.d);
  }

  params(): EffectParams {
    return { reverb: this.reverb.getSnapshot(), chorus: this.chorus.getSnapshot(), delay: this.delay.getSnapshot() };
  }

  /**
   * The `n` frames captured since the last call (zeros where the synthesizer ran no effects),
   * in fresh arrays a caller may transfer to another thread.
   */
  take(n: number): SendChunk {
    if (n > this.chunk) throw new RangeError(`A chunk of ${n} frames is larger than the taps' ${this.chunk}.`);
    const grab = (c: Capture, always: boolean): Float32Array | null => {
      if (!always && !c.used) return null;
      const out = c.buf.slice(0, n);
      c.buf.fill(0);
      c.used = false;
      return out;
    };
    return { reverb: grab(this.r, true)!, chorus: grab(this.c, true)!, delay: grab(this.d, false), params: this.params() };
  }
}
