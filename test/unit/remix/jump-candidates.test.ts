import { describe, expect, it } from 'vitest';
import { analyzeTrack } from '../../../electron/core/remix/track-analysis.ts';
import { beatSimilarity, jumpCandidates } from '../../../electron/core/remix/transitions.ts';

const SR = 44100;

/** 24 s at 120 BPM in 4/4: a four-chord loop, one chord a bar, a noise burst on every beat (louder on the downbeat). */
function loopTrack(): Float32Array {
  const x = new Float32Array(24 * SR);
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 30) - 1;
  const chords = [[220, 277, 330], [196, 247, 294], [175, 220, 262], [165, 208, 247]];
  for (let i = 0; i < x.length; i++) {
    const t = i / SR, beat = Math.floor(t / 0.5), since = t - beat * 0.5;
    let v = 0;
    for (const f of chords[Math.floor(beat / 4) % 4]!) v += 0.1 * Math.sin(2 * Math.PI * f * t);
    v += (beat % 4 === 0 ? 0.5 : 0.25) * Math.exp(-since * 40) * noise();
    x[i] = v;
  }
  return x;
}

describe('jumpCandidates', () => {
  const ta = analyzeTrack(loopTrack(), SR, 'the loop');

  it('keeps the most similar jumps that pass the given seam flux, and asks for it only until each beat is full', () => {
    const n = ta.beats.length;
    const perBeat = 4;
    const loose = jumpCandidates(ta, () => 0, { perBeat });
    // Reject every other pair the loose pass kept: they must be replaced by the next most similar.
    const rejected = new Set<string>();
    for (let a = 0; a < n; a++) for (let q = loose.offsets[a]!; q < loose.offsets[a + 1]!; q += 2) rejected.add(`${a}:${loose.to[q]}`);
    expect(rejected.size).toBeGreaterThan(20);
    const asked = new Map<number, number>(), refused = new Map<number, number>();
    const strict = jumpCandidates(ta, (a, b) => {
      asked.set(a, (asked.get(a) ?? 0) + 1);
      if (!rejected.has(`${a}:${b}`)) return 1;
      refused.set(a, (refused.get(a) ?? 0) + 1);
      return 1e9;
    }, { perBeat });
    let replaced = 0;
    for (let a = 0; a < n; a++) {
      const kept = Array.from(strict.to.subarray(strict.offsets[a]!, strict.offsets[a + 1]!));
      for (const b of kept) expect(rejected.has(`${a}:${b}`)).toBe(false);
      expect(Array.from(strict.flux.subarray(strict.offsets[a]!, strict.offsets[a + 1]!)).every((f) => f === 1)).toBe(true);
      expect(kept.length).toBeLessThanOrEqual(perBeat + perBeat / 2);
      // Within each kind, in order of similarity.
      for (const shift of [0, 1]) {
        const sims = kept.filter((_, i) => strict.phaseShift[strict.offsets[a]! + i] === shift).map((b) => beatSimilarity(ta, a, b));
        for (let i = 1; i < sims.length; i++) expect(sims[i]!).toBeLessThanOrEqual(sims[i - 1]!);
      }
      const before = Array.from(loose.to.subarray(loose.offsets[a]!, loose.offsets[a + 1]!));
      replaced += kept.filter((b) => !before.includes(b)).length;
      // Asked only for the jumps it kept and the ones it refused on the way, not for the whole list.
      expect(asked.get(a) ?? 0).toBe(kept.length + (refused.get(a) ?? 0));
    }
    expect(replaced).toBeGreaterThan(0);
  });
});
