import { SpessaSynthProcessor } from 'spessasynth_core';
import { describe, expect, it } from 'vitest';
import { useFastPlate } from '../../../electron/core/compose/fast-plate-reverb.ts';
import { Prng } from '../../../electron/core/compose/prng.ts';

const SR = 44100, Q = 256;
const reverbOf = () => new SpessaSynthProcessor(SR, { maxBufferSize: Q, effectsEnabled: true, eventsEnabled: false }).reverbProcessor;

/** Two seconds of bursts and silence through a reverb, in blocks of varying size (as events split quanta). */
function run(rev: ReturnType<typeof reverbOf>, seed: number): Float32Array[] {
  const rng = new Prng(seed);
  const n = 2 * SR;
  const L = new Float32Array(n), R = new Float32Array(n);
  const input = new Float32Array(Q);
  for (let pos = 0; pos < n;) {
    const q = Math.min(n - pos, 1 + Math.floor(rng.next() * Q));
    const loud = pos < SR / 2 || (pos > SR && pos < 1.2 * SR);
    for (let i = 0; i < q; i++) input[i] = loud ? (rng.next() - 0.5) * 0.5 : 0;
    rev.process(input, L, R, pos, q);
    pos += q;
  }
  return [L, R];
}

describe('the fast plate reverb loop', () => {
  it('is installed on this spessasynth version and renders bit-identically to its own loop, for every plate character', () => {
    for (const character of [0, 1, 2, 3, 4, 5]) {
      const setUp = (rev: ReturnType<typeof reverbOf>) => {
        rev.character = character;
        rev.time = 64 + character * 9;
        rev.level = 90;
        rev.preLowpass = character % 3;
        rev.preDelayTime = character * 7;
        return rev;
      };
      const ours = setUp(reverbOf()), theirs = setUp(reverbOf());
      expect(useFastPlate(ours)).toBe(true);
      const [aL, aR] = run(ours, 11 + character), [bL, bR] = run(theirs, 11 + character);
      let energy = 0;
      for (let i = 0; i < aL!.length; i++) energy += aL![i]! ** 2;
      expect(energy).toBeGreaterThan(1); // the reverb rang, so the comparison means something
      expect(Buffer.from(aL!.buffer).equals(Buffer.from(bL!.buffer))).toBe(true);
      expect(Buffer.from(aR!.buffer).equals(Buffer.from(bR!.buffer))).toBe(true);
    }
  });

  it('leaves a reverb it does not recognise alone', () => {
    const stranger = { level: 0, preLowpass: 0, character: 0, time: 0, delayFeedback: 0, preDelayTime: 0, process() {}, getSnapshot() { return this; }, dattorro: { process() {}, delays: [] } };
    const before = stranger.dattorro.process;
    expect(useFastPlate(stranger)).toBe(false);
    expect(stranger.dattorro.process).toBe(before);
  });
});
