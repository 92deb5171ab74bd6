import { describe, expect, it } from 'vitest';
import { analyzeRhythmFile } from '../../../electron/core/audio/analyze-file.ts';
import { defaultPeakParams, onsetBacktrack, onsetDetect } from '../../../electron/core/audio/onset-detect.ts';
import { makeClip } from '../../helpers/clips.ts';

describe('onsetDetect defaults and options', () => {
  it.each([
    [22050, { preMax: 1, postMax: 1, preAvg: 4, postAvg: 5, wait: 1 }],
    [44100, { preMax: 2, postMax: 1, preAvg: 8, postAvg: 9, wait: 2 }],
    [30720, { preMax: 1, postMax: 1, preAvg: 6, postAvg: 7, wait: 1 }],
    [16000, { preMax: 0, postMax: 1, preAvg: 3, postAvg: 4, wait: 0 }],
  ])('peak-pick defaults at %i Hz / hop 512 follow the SIGNALS §2.5 table', (sr, want) => {
    expect(defaultPeakParams(sr, 512)).toEqual({ ...want, delta: 0.07 });
  });

  it('backtracks to the nearest preceding local minimum (e[i] ≤ e[i−1] and e[i] < e[i+1]), or 0', () => {
    const e = [0, 1, 0.5, 0.2, 0.2, 3, 1, 0.1, 4];
    // minima: 0, 4 (0.2 ≤ 0.2 < 3), 7
    expect(Array.from(onsetBacktrack(Int32Array.from([1, 5, 8]), e))).toEqual([0, 4, 7]);
    const env = Float32Array.from(e);
    expect(Array.from(onsetDetect(env, { sampleRate: 22050, peak: { preMax: 1, postMax: 1, preAvg: 1, postAvg: 1, wait: 0 } }))).toEqual([1, 5, 8]);
    expect(Array.from(onsetDetect(env, { sampleRate: 22050, backtrack: true, peak: { preMax: 1, postMax: 1, preAvg: 1, postAvg: 1, wait: 0 } }))).toEqual([0, 4, 7]);
  });

  it('can skip normalisation (delta then applies to raw values)', () => {
    const env = Float32Array.from([0, 10, 0, 0, 0.05, 0]);
    const p = { preMax: 1, postMax: 1, preAvg: 1, postAvg: 1, wait: 0 };
    expect(Array.from(onsetDetect(env, { sampleRate: 22050, normalize: false, peak: p }))).toEqual([1]);
    expect(Array.from(onsetDetect(env, { sampleRate: 22050, normalize: false, peak: { ...p, delta: 0.01 } }))).toEqual([1, 4]);
  });

  it('cancels a file analysis through its AbortSignal and leaves no ffmpeg behind', async () => {
    const file = await makeClip('rhythm-abort-60s.flac', ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=60', '-c:a', 'flac']);
    const ac = new AbortController();
    const p = analyzeRhythmFile(file, { signal: ac.signal, onProgress: (s) => s.fraction > 0 && ac.abort() });
    setTimeout(() => ac.abort(), 200);
    await expect(p).rejects.toThrow(/Cancelled|abort/i);
  });
});
