import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editPoints, readTimelineFile, type FrameRate } from '../../../electron/core/timeline/index.ts';
import { otioEditPoints, otioRead, otioUnavailable, otioWrite, type OtioWriteSpec } from '../../helpers/otio.ts';

const why = otioUnavailable();
if (why) console.warn(`[otio] skipping timelines written by OpenTimelineIO: ${why}`);
const dir = mkdtempSync(path.join(tmpdir(), 'v2m-otiow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Seeded random edits: 8–20 clips of 5–240 frames, now and then a gap, never first or last. */
function randomEdit(seed: number, rate: FrameRate, dropFrame: boolean): { spec: OtioWriteSpec; cuts: number[] } {
  const rnd = lcg(seed);
  const n = 8 + Math.floor(rnd() * 13);
  const clips: OtioWriteSpec['clips'] = [];
  const cuts: number[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i < n - 1 && rnd() < 0.15) {
      const g = 1 + Math.floor(rnd() * 60);
      clips.push({ gap: g });
      at += g;
      cuts.push(at);
    }
    const d = 5 + Math.floor(rnd() * 236);
    clips.push({ name: `shot_${seed}_${i}`, url: `file:///media/shot_${i}.mov`, sourceIn: Math.floor(rnd() * 500), duration: d });
    at += d;
    if (i < n - 1) cuts.push(at);
  }
  // A gap is preceded by the clip's end, already counted: keep each edit point once.
  return { spec: { name: `random ${seed}`, rate: rate.num / rate.den, dropFrame, start: 0, clips }, cuts: [...new Set(cuts)].sort((a, b) => a - b) };
}

const RATES: Array<{ label: string; rate: FrameRate; dropFrame: boolean }> = [
  { label: '23.976', rate: { num: 24000, den: 1001 }, dropFrame: false },
  { label: '25', rate: { num: 25, den: 1 }, dropFrame: false },
  { label: '29.97 DF', rate: { num: 30000, den: 1001 }, dropFrame: true },
  { label: '59.94', rate: { num: 60000, den: 1001 }, dropFrame: false },
];
const ADAPTERS = [
  { adapter: 'fcp_xml', ext: 'xml', format: 'xmeml' },
  { adapter: 'cmx_3600', ext: 'edl', format: 'edl' },
  { adapter: 'otio_json', ext: 'otio', format: 'otio' },
];

describe.skipIf(why !== null)('our readers on timelines OpenTimelineIO writes from seeded random edits', () => {
  for (const [ri, r] of RATES.entries()) {
    for (const a of ADAPTERS) {
      it(`${a.adapter} at ${r.label}: same edit points as OTIO and as the edit itself`, async () => {
        for (const seed of [1, 2, 3]) {
          const { spec, cuts } = randomEdit(seed * 10 + ri, r.rate, r.dropFrame);
          const specFile = path.join(dir, `spec-${ri}-${a.ext}-${seed}.json`);
          const file = path.join(dir, `otio-${ri}-${seed}.${a.ext}`);
          writeFileSync(specFile, JSON.stringify(spec));
          otioWrite(specFile, file, a.adapter);
          const ours = await readTimelineFile(file, { rate: r.rate });
          expect(ours.format).toBe(a.format);
          const otio = otioRead(file, a.adapter, a.adapter === 'cmx_3600' ? `${r.rate.num}/${r.rate.den}` : undefined);
          const got = editPoints(ours.timeline).map((e) => e.frame);
          expect(got).toEqual(cuts);
          expect(got).toEqual(otioEditPoints(otio.video[0], ours.timeline.durationFrames));
          expect(ours.timeline.rate).toEqual(r.rate);
        }
      });
    }
  }
  // OTIO's FCPX writer knows only whole-number rates (it writes frameDuration="" at 29.97), so
  // FCPXML from OTIO is judged at 24, 30 and 60; at NTSC our reader must say what is wrong. Not at
  // 25 or 50: the writer turns frames into seconds through floats (Fraction(float).limit_denominator),
  // and there it writes e.g. a 56-frame clip as 57/25 s, so the file no longer holds the edit.
  for (const fps of [24, 30, 60]) {
    it(`fcpx_xml at ${fps}: same edit points as OTIO and as the edit itself`, async () => {
      for (const seed of [4, 5, 6]) {
        const { spec, cuts } = randomEdit(seed * 7 + fps, { num: fps, den: 1 }, false);
        const specFile = path.join(dir, `spec-fcpx-${fps}-${seed}.json`);
        const file = path.join(dir, `otio-${fps}-${seed}.fcpxml`);
        writeFileSync(specFile, JSON.stringify(spec));
        otioWrite(specFile, file, 'fcpx_xml');
        const ours = await readTimelineFile(file);
        const otio = otioRead(file, 'fcpx_xml');
        expect(editPoints(ours.timeline).map((e) => e.frame)).toEqual(cuts);
        expect(editPoints(ours.timeline).map((e) => e.frame)).toEqual(otioEditPoints(otio.video[0], ours.timeline.durationFrames));
      }
    });
  }
  it('fcpx_xml at 29.97 (OTIO writes no frameDuration): a clear error naming the format element', async () => {
    const { spec } = randomEdit(9, { num: 30000, den: 1001 }, true);
    const specFile = path.join(dir, 'spec-fcpx-ntsc.json');
    const file = path.join(dir, 'otio-ntsc.fcpxml');
    writeFileSync(specFile, JSON.stringify(spec));
    otioWrite(specFile, file, 'fcpx_xml');
    await expect(readTimelineFile(file)).rejects.toThrow(/<sequence> at line \d+ names format "r1", which has no frame rate/);
  });
});
