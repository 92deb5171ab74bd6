import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePcm24, wavHeader } from '../../../electron/core/mastering/index.ts';
import { normalizePlan } from '../../../electron/core/rhythm/index.ts';
import { contentHash } from '../../../electron/core/files/content-hash.ts';
import { analyzeTrack, decodeTrackAnalysis, loadTrack, readCachedAnalysis, remixAudio, TRACK_ANALYSIS_VERSION } from '../../../electron/core/remix/index.ts';
import { lcgBytes } from '../../helpers/noise.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-remix-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SR = 22050;

/** A drum-like click every `period` s, louder on every fourth, as a 24-bit WAV. */
function clickWav(durationSec: number, period: number, seed: number): Buffer {
  const x = new Float32Array(Math.round(durationSec * SR));
  const noise = lcgBytes(x.length, seed);
  for (let k = 0; k * period < durationSec; k++) {
    const s = Math.round(k * period * SR), amp = k % 4 === 0 ? 0.9 : 0.5;
    for (let i = 0; i < 0.04 * SR && s + i < x.length; i++) x[s + i] = amp * ((noise[s + i]! - 128) / 128) * Math.exp(-i / (0.008 * SR));
  }
  return Buffer.concat([wavHeader(SR, 1, x.length), encodePcm24(x)]);
}

const plan = normalizePlan({
  durationSec: 9.3, fps: 25, odfLR: Array(10).fill(0.5),
  accents: [{ timeSec: 3.1, strength: 0.9, kind: 'cut' }, { timeSec: 6.4, strength: 0.9, kind: 'cut' }],
  cuts: [3.1, 6.4], mood: { valence: 0, arousal: 0.3 },
}).plan;

const entries = (cache: string) => readdirSync(cache).sort();

describe('the remix track-analysis cache', () => {
  it('hits for the same content, misses when the file changes, ignores and rewrites a corrupt entry, and the remix stays the same', async () => {
    const cache = path.join(dir, 'cache');
    const music = path.join(dir, 'track.wav');
    const a = clickWav(24, 0.5, 3), b = clickWav(24, 0.6, 5);
    writeFileSync(music, a);

    const cold = await remixAudio(plan, { music, trackCache: cache });
    expect(cold.summary.analysisCached).toBe(false);
    const sha = await contentHash(music);
    // One entry, named by the content hash, written whole (no temporary file left beside it).
    expect(entries(cache)).toEqual([`${sha}.v${TRACK_ANALYSIS_VERSION}.bin`]);
    const track = await loadTrack(music);
    const fresh = analyzeTrack(track.mono, track.sampleRate);
    expect(readCachedAnalysis(cache, sha)).toEqual(fresh);

    const warm = await remixAudio(plan, { music, trackCache: cache });
    expect(warm.summary.analysisCached).toBe(true);
    expect(warm.arrangement).toEqual(cold.arrangement);
    expect(Buffer.from(warm.stereo.buffer).equals(Buffer.from(cold.stereo.buffer))).toBe(true);
    expect(warm.summary.cuts).toEqual(cold.summary.cuts);

    // Another track under the same name (even with the old modification time): analysed afresh.
    writeFileSync(music, b);
    utimesSync(music, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const changed = await remixAudio(plan, { music, trackCache: cache });
    expect(changed.summary.analysisCached).toBe(false);
    expect(changed.summary.tempoBpm).not.toBeCloseTo(cold.summary.tempoBpm, 0);
    const shaB = await contentHash(music);
    expect(entries(cache)).toEqual([`${sha}.v${TRACK_ANALYSIS_VERSION}.bin`, `${shaB}.v${TRACK_ANALYSIS_VERSION}.bin`].sort());

    // A corrupt entry (cut short, or garbage) is ignored, the track analysed again and the entry rewritten.
    writeFileSync(music, a);
    const entry = path.join(cache, `${sha}.v${TRACK_ANALYSIS_VERSION}.bin`);
    const good = readFileSync(entry);
    for (const bad of [good.subarray(0, good.length - 100), Buffer.from('garbage\n'), Buffer.alloc(0)]) {
      writeFileSync(entry, bad);
      const again = await remixAudio(plan, { music, trackCache: cache });
      expect(again.summary.analysisCached).toBe(false);
      expect(again.arrangement).toEqual(cold.arrangement);
      expect(readFileSync(entry).equals(good)).toBe(true);
    }
    expect((await remixAudio(plan, { music, trackCache: cache })).summary.analysisCached).toBe(true);

    // An entry filed under another hash is not taken for this content.
    expect(decodeTrackAnalysis(good, shaB)).toBeNull();
    // trackCache: false neither reads nor writes.
    rmSync(cache, { recursive: true });
    expect((await remixAudio(plan, { music, trackCache: false })).summary.analysisCached).toBe(false);
    expect(() => readdirSync(cache)).toThrow();
  }, 120_000);
});
