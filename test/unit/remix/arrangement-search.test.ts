import { describe, expect, it } from 'vitest';
import { arrange, eventsInOutput, landingRates, SearchScratch, tempoFactors, type JumpCandidates, type SearchTrack } from '../../../electron/core/remix/index.ts';

/** A steady 4/4 track: `beats` beats every `period` s from `first`, a tail of one beat. */
function steadyTrack(beats: number, period = 0.5, first = 0.1): SearchTrack {
  const t = Float64Array.from({ length: beats }, (_, i) => first + i * period);
  const downbeat = Uint8Array.from({ length: beats }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const sectionStart = Uint8Array.from({ length: beats }, (_, i) => (i % 32 === 0 ? 1 : 0));
  return { durationSec: t[beats - 1]! + period, beats: t, downbeat, sectionStart, strongOnsets: new Float64Array(0), beatsPerBar: 4 };
}

/** Every beat may jump to every same-position beat a bar or more away, and (bar restart) to every downbeat. */
function allJumps(t: SearchTrack, similarity = 0.9): JumpCandidates {
  const n = t.beats.length;
  const offsets = new Int32Array(n + 1);
  const to: number[] = [], shift: number[] = [];
  for (let a = 0; a < n; a++) {
    offsets[a] = to.length;
    for (let b = 1; b < n; b++) {
      if (a === 0 || Math.abs(a - b) < 4) continue;
      const same = a % 4 === b % 4;
      if (same || b % 4 === 0) {
        to.push(b);
        shift.push(same ? 0 : 1);
      }
    }
  }
  offsets[n] = to.length;
  return { offsets, to: Int32Array.from(to), similarity: new Float32Array(to.length).fill(similarity), flux: new Float32Array(to.length), phaseShift: Uint8Array.from(shift) };
}

function checkShape(t: SearchTrack, a: ReturnType<typeof arrange>, durationSec: number, maxStretch = 0.06) {
  const end = (s: (typeof a.segments)[number]) => s.outStartSec + (s.srcEndSec - s.srcStartSec) * s.lengthFactor;
  expect(a.durationSec).toBe(durationSec);
  expect(end(a.segments[a.segments.length - 1]!)).toBeCloseTo(durationSec, 9);
  expect(a.segments[0]!.srcStartSec).toBe(0);
  expect(a.segments[0]!.outStartSec).toBe(0);
  // Contiguous in output time, every seam leaving and entering on a beat, every nudge within bounds.
  for (let k = 1; k < a.segments.length; k++) {
    const p = a.segments[k - 1]!, s = a.segments[k]!;
    expect(s.outStartSec).toBeCloseTo(end(p), 9);
    expect(t.beats).toContain(p.srcEndSec);
    expect(t.beats).toContain(s.srcStartSec);
    expect(a.seams[k - 1]!.outSec).toBeCloseTo(s.outStartSec, 9);
  }
  // The last segment absorbs up to a grid step and a half of slack.
  for (const s of a.segments) expect(Math.abs(s.lengthFactor - 1)).toBeLessThanOrEqual(maxStretch + 0.015 / Math.max(0.5, s.srcEndSec - s.srcStartSec) + 1e-9);
  expect(a.seams.length).toBe(a.segments.length - 1);
  for (const s of a.seams) {
    expect(s.fromSrcSec).toBe(t.beats[s.fromBeat]);
    expect(s.toSrcSec).toBe(t.beats[s.toBeat]);
  }
  const last = a.segments[a.segments.length - 1]!;
  if (a.ending === 'real') expect(last.srcEndSec).toBe(t.durationSec);
}

describe('arrange', () => {
  const track = steadyTrack(96); // 48 s

  it('fills a shorter clip exactly: the opening, jumps on beats, the real ending, a nudge within ±6 %', () => {
    for (const d of [12.3, 20, 31.77]) {
      const a = arrange(track, allJumps(track), { durationSec: d, accents: [] });
      checkShape(track, a, d);
      expect(a.ending).toBe('real');
      expect(a.seams.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('a clip longer than the track loops material, still exact', () => {
    const a = arrange(track, allJumps(track), { durationSec: 70, accents: [] });
    checkShape(track, a, 70);
    expect(a.ending).toBe('real');
    expect(a.segments.reduce((s, g) => s + g.srcEndSec - g.srcStartSec, 0)).toBeGreaterThan(track.durationSec);
  });

  it('with no tempo nudge allowed and no length that fits, it fades at the clip end', () => {
    const a = arrange(track, allJumps(track), { durationSec: 20.25, accents: [], maxStretch: 0 });
    checkShape(track, a, 20.25, 0);
    for (const s of a.segments) expect(s.lengthFactor).toBe(1);
    expect(a.ending).toBe('fade');
  });

  it('a clip shorter than the opening segment is the opening, faded', () => {
    const a = arrange(track, allJumps(track), { durationSec: 2, accents: [] });
    expect(a.ending).toBe('fade');
    expect(a.segments).toEqual([{ srcStartSec: 0, srcEndSec: 2, outStartSec: 0, lengthFactor: 1 }]);
  });

  it('without candidate jumps a clip far from the track length cannot keep the real ending', () => {
    const none: JumpCandidates = { offsets: new Int32Array(97), to: new Int32Array(0), similarity: new Float32Array(0), flux: new Float32Array(0), phaseShift: new Uint8Array(0) };
    const a = arrange(track, none, { durationSec: 30, accents: [] });
    expect(a.seams).toEqual([]);
    expect(a.ending).toBe('fade');
  });

  it('aimed, cuts land on downbeats far more often than in the unaimed remix', () => {
    const cuts = [3.37, 7.05, 9.81, 14.2, 17.66, 21.03, 26.4];
    const accents = cuts.map((t) => ({ timeSec: t, strength: 1, cut: true }));
    const jumps = allJumps(track);
    const downbeats = Float64Array.from(track.beats.filter((_, i) => track.downbeat[i] === 1));
    const rate = (aim: number) => {
      const a = arrange(track, jumps, { durationSec: 30, accents, aim });
      checkShape(track, a, 30);
      return landingRates(cuts, eventsInOutput(a, downbeats, 30), new Float64Array(0)).onDownbeat;
    };
    const aimed = rate(1), unaimed = rate(0);
    // Measured 4/7 aimed vs 0/7 unaimed: the opening bar and ±6 % in 2 % steps cannot reach every cut.
    expect(aimed).toBeGreaterThanOrEqual(0.55);
    expect(aimed).toBeGreaterThan(unaimed + 0.4);
  });

  it('gives the same arrangements with buffers reused from earlier searches of other sizes', () => {
    const cuts = [3.37, 7.05, 9.81, 14.2, 17.66, 21.03, 26.4];
    const accents = cuts.map((t) => ({ timeSec: t, strength: 1, cut: true }));
    const jumps = allJumps(track);
    const cases = [
      { durationSec: 30, accents },
      { durationSec: 12.5, accents: accents.slice(0, 3) },
      { durationSec: 30, accents, aim: 0 },
      { durationSec: 24.1, accents: [] },
      { durationSec: 30, accents, maxStretch: 0.02 },
    ];
    const fresh = cases.map((c) => arrange(track, jumps, c));
    // One scratch for all, in an order where a bigger search leaves its tables behind for a smaller one.
    const scratch = new SearchScratch();
    const reused = cases.map((c) => arrange(track, jumps, { ...c, scratch }));
    expect(reused).toEqual(fresh);
    expect(new Set(fresh.map((a) => JSON.stringify(a.segments))).size).toBe(cases.length);
  });

  it('the beam (jumps only from states near the best at their time) finds what jumping from every state finds, and a narrow one still fills the clip', () => {
    const cuts = [3.37, 7.05, 9.81, 14.2, 17.66, 21.03, 26.4];
    const accents = cuts.map((t) => ({ timeSec: t, strength: 1, cut: true }));
    const jumps = allJumps(track, 0.8);
    for (const c of [{ durationSec: 30, accents }, { durationSec: 19.3, accents: accents.slice(0, 4) }, { durationSec: 41, accents, aim: 0 }]) {
      const full = arrange(track, jumps, { ...c, jumpMargin: Infinity });
      expect(arrange(track, jumps, c)).toEqual(full);
      const narrow = arrange(track, jumps, { ...c, jumpMargin: 0 });
      checkShape(track, narrow, c.durationSec);
    }
  });

  it('prefers the more similar jump when both fit', () => {
    const jumps = allJumps(track, 0.7);
    // Make jumps into beat 60 (a downbeat) much more alike than the rest.
    for (let q = 0; q < jumps.to.length; q++) if (jumps.to[q] === 60) jumps.similarity[q] = 1;
    // 24.1 s: many one-seam arrangements fit without a nudge; the alike jump must win among them.
    const a = arrange(track, jumps, { durationSec: 24.1, accents: [] });
    expect(a.seams.map((s) => s.toBeat)).toContain(60);
  });
});

describe('tempoFactors', () => {
  it('seven length factors evenly over ±maxStretch, or just 1', () => {
    expect(Array.from(tempoFactors(0.06)).map((f) => Math.round(f * 1e6) / 1e6)).toEqual([0.94, 0.96, 0.98, 1, 1.02, 1.04, 1.06]);
    expect(Array.from(tempoFactors(0))).toEqual([1]);
  });
});

describe('eventsInOutput and landingRates', () => {
  it('maps source times through the segments and the nudge', () => {
    const a = {
      segments: [{ srcStartSec: 0, srcEndSec: 2, outStartSec: 0, lengthFactor: 1 }, { srcStartSec: 10, srcEndSec: 12, outStartSec: 2, lengthFactor: 1.02 }],
      seams: [], ending: 'real' as const, durationSec: 4.04, score: 0,
    };
    const out = Array.from(eventsInOutput(a, [1, 3, 10.5, 11.9, 12], 4.04));
    expect(out).toHaveLength(3);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(2 + 0.5 * 1.02, 12);
    expect(out[2]).toBeCloseTo(2 + 1.9 * 1.02, 12);
  });

  it('counts cuts within the window of a downbeat or a strong onset', () => {
    const r = landingRates([1, 2, 3, 4], Float64Array.of(1.04, 2.2), Float64Array.of(2.97));
    expect(r).toEqual({ count: 4, onDownbeat: 0.25, onDownbeatOrStrongOnset: 0.5 });
    expect(landingRates([], new Float64Array(0), new Float64Array(0)).count).toBe(0);
  });
});
