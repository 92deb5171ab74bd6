import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMusic } from '../../../electron/core/compose/index.ts';
import { readWavInfo } from '../../../electron/core/mastering/index.ts';
import { decodeAudio } from '../../../electron/core/media/index.ts';
import { normalizePlan, type RhythmPlan } from '../../../electron/core/rhythm/index.ts';
import { analyzeTrack, fluxAround, frameFeatures, frameOf, generateRemix, loadTrack } from '../../../electron/core/remix/index.ts';
import { sharedData } from '../../helpers/paths.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-remix-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const music = path.join(sharedData, 'music');
const waltz = path.join(music, '147793__setuniman__sweet-waltz-0i-22mi.ogg');
const rag = path.join(music, '442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg');

/** A clip of `durationSec` cut at irregular times (as an editor cuts, not on any tempo), a few visual beats between. */
function clipPlan(durationSec: number, cuts: number[]): RhythmPlan {
  const beats = cuts.slice(0, -1).map((c, i) => (c + cuts[i + 1]!) / 2);
  return normalizePlan({
    durationSec, fps: 25, odfLR: Array(Math.ceil(durationSec)).fill(0.5),
    accents: [...cuts.map((t) => ({ timeSec: t, strength: 0.9, kind: 'cut' })), ...beats.map((t) => ({ timeSec: t, strength: 0.4, kind: 'visual-beat' }))],
    cuts, mood: { valence: 0.2, arousal: 0.3 },
  }).plan;
}

const plans = [
  clipPlan(27.63, [2.71, 5.37, 9.18, 11.9, 15.42, 18.05, 21.77, 24.6]),
  clipPlan(19.4, [3.3, 6.95, 8.8, 12.41, 16.02]),
];

let composed = '';
beforeAll(async () => {
  // The second source: 45 s rendered by the built-in composer (its own steady grid, unrelated to the clips' cuts).
  composed = path.join(dir, 'composed.wav');
  await generateMusic(clipPlan(45, [11, 23, 34]), { out: composed, style: 'electronic', seed: 4 });
}, 120_000);

describe('remix of real recordings and of composer music', () => {
  const sources = [['the waltz (3/4)', () => waltz], ['the piano rag (2/4)', () => rag], ['composer music', () => composed]] as const;

  for (const [name, file] of sources) {
    it(`${name}: exact length, seams on the track's beats and smooth, cuts on downbeats far more often than unaimed`, async () => {
      const track = await loadTrack(file());
      const ta = analyzeTrack(track.mono, track.sampleRate);
      const beats = new Set(ta.beats);
      let aimedHits = 0, unaimedHits = 0, eitherAimed = 0, eitherUnaimed = 0, cuts = 0;
      for (const [i, plan] of plans.entries()) {
        const out = path.join(dir, `${path.basename(file())}.${i}.wav`);
        const r = await generateRemix(plan, { music: file(), out, track });
        const s = r.summary;
        // Exact duration (±1 ms) of the file written, mastered like the other generators.
        const info = readWavInfo(out);
        expect(Math.abs(info.frames / info.sampleRate - plan.durationSec)).toBeLessThanOrEqual(0.001);
        expect(Math.abs(r.render.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
        expect(r.render.truePeakDbtp).toBeLessThanOrEqual(-1);
        // Every seam leaves and enters the source on one of its beats.
        expect(s.seams.length).toBeGreaterThan(0);
        for (const seam of s.seams) {
          expect(beats.has(seam.fromSrcSec)).toBe(true);
          expect(beats.has(seam.toSrcSec)).toBe(true);
          expect(seam.similarity).toBeGreaterThan(0);
        }
        for (let k = 1; k < s.seams.length; k++) expect(s.seams[k]!.outSec).toBeGreaterThan(s.seams[k - 1]!.outSec);
        // No seam jumps in spectral flux more than the track does at its own beats (95th percentile):
        // as the generator measured its render, and on the written file (mastering's gain and limiter
        // shift the dB floor a little, hence 5 %).
        for (const seam of s.seams) expect(seam.flux).toBeLessThanOrEqual(ta.beatFluxP95);
        expect(r.render.warnings.join(' ')).not.toMatch(/abrupt/);
        const pcm = await decodeAudio(out, { sampleRate: track.sampleRate, channels: 1 });
        const ff = frameFeatures(pcm.samples, track.sampleRate);
        const flux = s.seams.map((x) => fluxAround(ff.melDb, frameOf(x.outSec, track.sampleRate)));
        for (const f of flux) expect(f).toBeLessThanOrEqual(ta.beatFluxP95 * 1.05);
        expect(s.beatFluxP95).toBeCloseTo(ta.beatFluxP95, 6);
        const { aimed, unaimed } = s.cuts;
        expect(aimed.count).toBe(plan.cuts.length);
        console.info(`[remix] ${name}, ${plan.durationSec} s clip, ${aimed.count} cuts: on a downbeat ${(aimed.onDownbeat * 100).toFixed(0)} % aimed vs ${(unaimed.onDownbeat * 100).toFixed(0)} % unaimed; ` +
          `downbeat or strong onset ${(aimed.onDownbeatOrStrongOnset * 100).toFixed(0)} % vs ${(unaimed.onDownbeatOrStrongOnset * 100).toFixed(0)} %; ${s.seams.length} seams ` +
          `(max flux ${Math.max(...flux).toFixed(1)} / p95 ${ta.beatFluxP95.toFixed(1)}), ending ${s.ending}, ${s.timings.totalSec.toFixed(2)} s (${(s.timings.totalSec / plan.durationSec).toFixed(3)} × clip)`);
        aimedHits += aimed.onDownbeat * aimed.count;
        unaimedHits += unaimed.onDownbeat * unaimed.count;
        eitherAimed += aimed.onDownbeatOrStrongOnset * aimed.count;
        eitherUnaimed += unaimed.onDownbeatOrStrongOnset * unaimed.count;
        cuts += aimed.count;
      }
      console.info(`[remix] ${name}, all ${cuts} cuts: on a downbeat ${(aimedHits / cuts * 100).toFixed(0)} % aimed vs ${(unaimedHits / cuts * 100).toFixed(0)} % unaimed; with strong onsets ${(eitherAimed / cuts * 100).toFixed(0)} % vs ${(eitherUnaimed / cuts * 100).toFixed(0)} %`);
      expect(aimedHits / cuts).toBeGreaterThanOrEqual(0.5);
      expect(aimedHits / cuts).toBeGreaterThanOrEqual(unaimedHits / cuts + 0.3);
      expect(eitherAimed / cuts).toBeGreaterThanOrEqual(eitherUnaimed / cuts);
    }, 240_000);
  }
});
