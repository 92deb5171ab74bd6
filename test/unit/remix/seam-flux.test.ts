import { describe, expect, it } from 'vitest';
import { fluxAround, frameFeatures, frameOf } from '../../../electron/core/remix/beat-features.ts';
import { renderArrangement } from '../../../electron/core/remix/render-remix.ts';
import { SeamFlux } from '../../../electron/core/remix/seam-flux.ts';
import type { Arrangement } from '../../../electron/core/remix/arrangement-search.ts';

const SR = 44100;
const BEAT = 0.5;

/** 8 s of music-like sound: each beat a different chord, with a decaying click on it. */
function track(): Float32Array {
  const x = new Float32Array(8 * SR);
  const chords = [[220, 277, 330], [247, 311, 370], [196, 247, 294], [262, 330, 392], [175, 220, 262]];
  for (let i = 0; i < x.length; i++) {
    const t = i / SR, beat = Math.floor(t / BEAT), since = t - beat * BEAT;
    let v = 0;
    for (const f of chords[(beat * 3) % chords.length]!) v += 0.12 * Math.sin(2 * Math.PI * f * t);
    v *= 0.6 + 0.4 * Math.exp(-since * 6);
    v += 0.3 * Math.exp(-since * 80) * Math.sin(2 * Math.PI * 3000 * since) * (beat % 4 === 0 ? 1 : 0.5);
    x[i] = v;
  }
  return x;
}

describe('SeamFlux', () => {
  it('measures each seam of a rendered remix from six frames, and predicts it from the track alone', async () => {
    const mono = track();
    const stereo = new Float32Array(2 * mono.length);
    // The channels differ (a tone in antiphase) but mix to the mono the measure reads.
    for (let i = 0; i < mono.length; i++) {
      const d = 0.2 * Math.sin((2 * Math.PI * 1234 * i) / SR) * (Math.floor(i / 3000) % 2);
      stereo[2 * i] = mono[i]! + d;
      stereo[2 * i + 1] = mono[i]! - d;
    }
    // Three segments as recorded; the seams fall at different phases of the output's frame grid.
    const segs = [
      { srcStartSec: 0, srcEndSec: 2.0, outStartSec: 0, lengthFactor: 1 },
      { srcStartSec: 5.5, srcEndSec: 6.5, outStartSec: 2.0, lengthFactor: 1 },
      { srcStartSec: 1.5, srcEndSec: 3.0, outStartSec: 3.0, lengthFactor: 1 },
    ];
    const a: Arrangement = { segments: segs, seams: [], ending: 'real', durationSec: 4.5, score: 0 };
    const r = await renderArrangement(stereo, SR, a, 4 * BEAT, async () => {
      throw new Error('no segment is nudged');
    });
    const out = new Float32Array(r.frames);
    for (let i = 0; i < r.frames; i++) out[i] = 0.5 * (r.stereo[2 * i]! + r.stereo[2 * i + 1]!);
    const measured = frameFeatures(out, SR, { chroma: false }).melDb;
    let max = -Infinity;
    for (let i = 0; i < measured.data.length; i++) max = Math.max(max, measured.data[i]!);
    const preview = new SeamFlux(mono, SR, max);
    const seen: number[] = [];
    for (let k = 1; k < segs.length; k++) {
      const from = Math.round(segs[k - 1]!.srcEndSec * SR), to = Math.round(segs[k]!.srcStartSec * SR), at = r.seamFrames[k - 1]!;
      const m = fluxAround(measured, frameOf(at / SR, SR));
      expect(m).toBeGreaterThan(1);
      expect(preview.preview(from, to, at)).toBeCloseTo(m, 3);
      expect(preview.rendered(r.stereo, at)).toBeCloseTo(m, 4);
      seen.push(m);
    }
    // The frame grid matters: the same seam placed half a hop later reads differently.
    const s = segs[1]!, from = Math.round(segs[0]!.srcEndSec * SR), to = Math.round(s.srcStartSec * SR);
    expect(Math.abs(preview.preview(from, to, r.seamFrames[0]! + 256) - seen[0]!)).toBeGreaterThan(0.01);
  });

  it('previews candidates from per-beat half spectra exactly as a seam at frame phase 0', () => {
    const mono = track();
    const preview = new SeamFlux(mono, SR, 0);
    const beats = Array.from({ length: 15 }, (_, i) => Math.round((0.05 + i * BEAT) * SR));
    let differ = 0;
    for (const from of beats.slice(1)) {
      for (const to of beats.slice(1)) {
        if (from === to) continue;
        const direct = preview.preview(from, to, 0);
        expect(preview.candidate(from, to)).toBeCloseTo(direct, 3);
        if (Math.abs(direct - preview.preview(from, to, 100)) > 0.01) differ++;
      }
    }
    // Not a constant: the seams differ, and a seam at another phase reads otherwise.
    expect(differ).toBeGreaterThan(10);
  });
});
