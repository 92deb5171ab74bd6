import { SpessaSynthProcessor } from 'spessasynth_core';
import { useFastPlate } from './fast-plate-reverb.ts';
import type { EffectParams, SendChunk } from './send-taps.ts';

/**
 * One set of spessasynth's own effect processors (chorus → delay → reverb, routed as its
 * processSplit routes them) run on the summed sends of several synthesizers. The processors
 * come from a synthesizer with no sound bank that never plays a note; their parameters are
 * those the synthesizers set on their taps (the GS defaults for the composer's MIDI).
 */
export class EffectsBus {
  private readonly synth: SpessaSynthProcessor;
  private applied = '';
  private readonly rev: Float32Array;
  private readonly cho: Float32Array;
  private readonly dly: Float32Array;
  private readonly L: Float32Array;
  private readonly R: Float32Array;

  /** Sends arrive in chunks of at most `chunk` frames; the effects run in the synthesizer's `quantum`. */
  constructor(sampleRate: number, private readonly quantum: number, chunk: number) {
    this.synth = new SpessaSynthProcessor(sampleRate, { maxBufferSize: quantum, effectsEnabled: true, eventsEnabled: false });
    useFastPlate(this.synth.reverbProcessor);
    this.rev = new Float32Array(chunk);
    this.cho = new Float32Array(chunk);
    this.dly = new Float32Array(chunk);
    this.L = new Float32Array(chunk);
    this.R = new Float32Array(chunk);
  }

  /** Sets the processors' parameters when they differ from the last ones set. */
  private configure(p: EffectParams): void {
    const key = JSON.stringify(p);
    if (key === this.applied) return;
    this.applied = key;
    // The reverb's character resets its other coefficients, so it goes first.
    const { character, ...reverb } = p.reverb;
    this.synth.reverbProcessor.character = character;
    Object.assign(this.synth.reverbProcessor, reverb);
    Object.assign(this.synth.chorusProcessor, p.chorus);
    Object.assign(this.synth.delayProcessor, p.delay);
  }

  /**
   * The effects' stereo output, interleaved, for chunks of sends covering the same frames;
   * `gain(i)` scales output frame i (the render's fade).
   */
  process(chunks: readonly SendChunk[], gain: (i: number) => number = () => 1): Float32Array {
    const n = chunks[0]!.reverb.length;
    if (n > this.rev.length) throw new RangeError(`A chunk of ${n} frames is larger than the bus's ${this.rev.length}.`);
    if (chunks.some((c) => c.reverb.length !== n || c.chorus.length !== n || (c.delay && c.delay.length !== n))) throw new RangeError('The send chunks do not cover the same frames.');
    this.configure(chunks[0]!.params);
    const { rev, cho, dly, L, R } = this;
    const delayOn = chunks.some((c) => c.delay !== null);
    rev.fill(0, 0, n); cho.fill(0, 0, n); dly.fill(0, 0, n); L.fill(0, 0, n); R.fill(0, 0, n);
    for (const c of chunks) {
      for (let i = 0; i < n; i++) {
        rev[i] += c.reverb[i]!;
        cho[i] += c.chorus[i]!;
      }
      if (c.delay) for (let i = 0; i < n; i++) dly[i] += c.delay[i]!;
    }
    const { reverbProcessor, chorusProcessor, delayProcessor } = this.synth;
    // In the synthesizer's quantum, as its processSplit would: the chorus and the delay feed the reverb.
    for (let pos = 0; pos < n; pos += this.quantum) {
      const q = Math.min(this.quantum, n - pos);
      const r = rev.subarray(pos), d = dly.subarray(pos);
      chorusProcessor.process(cho.subarray(pos), L, R, r, d, pos, q);
      if (delayOn) delayProcessor.process(d, L, R, r, pos, q);
      reverbProcessor.process(r, L, R, pos, q);
    }
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const g = gain(i);
      out[2 * i] = L[i]! * g;
      out[2 * i + 1] = R[i]! * g;
    }
    return out;
  }
}
