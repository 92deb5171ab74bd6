import { describe, expect, it } from 'vitest';
import { onsetStrengthFromSpectrogram } from '../../../electron/core/audio/onset-strength.ts';
import { powerToDbInPlace } from '../../../electron/core/audio/power-to-db.ts';
import { TemEnvelopeBuilder } from '../../../electron/core/audio/tem-envelope.ts';

/** A deterministic power spectrogram with quiet stretches (so the −80 dB floor matters) and loud hits. */
function powerRows(frames: number, bins: number): Float32Array {
  const m = new Float32Array(frames * bins);
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let t = 0; t < frames; t++) {
    const loud = t % 37 === 0 ? 1e3 : t % 11 < 3 ? 1e-12 : 1;
    for (let b = 0; b < bins; b++) m[t * bins + b] = Math.fround(loud * rnd() * (1 + b / bins));
  }
  return m;
}

describe('TemEnvelopeBuilder', () => {
  const bins = 16;
  const frames = 1000;
  const power = powerRows(frames, bins);
  const reference = (() => {
    const db = power.slice();
    powerToDbInPlace(db);
    return onsetStrengthFromSpectrogram({ data: db, bins, frames }, { hopLength: 128, nFft: 2048 });
  })();

  it.each([
    ['in memory, one chunk', 10_000, 8192],
    ['in memory, many chunks', 10_000, 7],
    ['spilled to disk', 100, 64],
    ['spilled, chunk of one row', 3, 1],
  ])('equals onset_strength over the whole matrix (%s)', (_name, memoryRows, chunkRows) => {
    const b = new TemEnvelopeBuilder({ bins, nFft: 2048, hopLength: 128, memoryRows });
    for (let t = 0; t < frames; t++) b.pushRow(power.subarray(t * bins, (t + 1) * bins));
    expect(b.spilled).toBe(memoryRows < frames);
    const env = b.finish(chunkRows);
    expect(Array.from(env)).toEqual(Array.from(reference));
    expect(b.spilled).toBe(false); // the temporary file is gone
  });

  it('handles fewer rows than the leading padding', () => {
    const b = new TemEnvelopeBuilder({ bins, nFft: 2048, hopLength: 128, memoryRows: 2 });
    for (let t = 0; t < 5; t++) b.pushRow(power.subarray(t * bins, (t + 1) * bins));
    expect(Array.from(b.finish())).toEqual([0, 0, 0, 0, 0]);
  });
});
