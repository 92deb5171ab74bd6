import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { beatTrack } from '../../../electron/core/audio/beat-track.ts';
import { decodeMono } from '../../../electron/core/audio/decode-mono.ts';
import { onsetDetect, framesToTime } from '../../../electron/core/audio/onset-detect.ts';
import { onsetStrength } from '../../../electron/core/audio/onset-strength.ts';
import { RhythmAnalyzer, analyzeRhythm } from '../../../electron/core/audio/rhythm-analyzer.ts';
import { melLR, temLR } from '../../../electron/core/audio/rhythm-lr.ts';
import { onsetFMeasure } from '../../../electron/core/eval/onset-metrics.ts';
import { readFileSync } from 'node:fs';
import { clickTrack, librosaFixtures, madmomData } from './fixtures.ts';

const fx = librosaFixtures().sr44100;

describe('RhythmAnalyzer (one streaming pass)', () => {
  const y = clickTrack(44100);

  it('gives the same results as the individual librosa-conformant functions', () => {
    const a = analyzeRhythm(y);
    expect(a.sampleRate).toBe(44100);
    expect(a.hopLength).toBe(512);
    expect(Array.from(a.onsetStrength)).toEqual(Array.from(onsetStrength(y, 44100)));
    expect(Array.from(a.onsets)).toEqual(Array.from(framesToTime(onsetDetect(onsetStrength(y, 44100), { sampleRate: 44100 }), 44100)));
    expect(a.tempo).toBe(fx.beat_track_bpm[0]);
    expect(Array.from(a.beats, (t) => Math.round((t * 44100) / 512))).toEqual(fx.beat_track_from_y_frames);
    expect(a.odfLR.length).toBe(8);
    a.odfLR.forEach((v, i) => expect(Math.abs(v - fx.diffv2m_odf_per_sec[i]!)).toBeLessThan(1e-3 * fx.diffv2m_odf_per_sec[i]!));
    // Mel_LR / Tem_LR from the streamed group means equal the direct computation.
    const mel = melLR(y, 44100);
    const tem = temLR(y, 44100);
    a.melLR!.forEach((v, i) => expect(Math.abs(v - mel[i]!)).toBeLessThan(1e-4));
    a.temLR!.forEach((v, i) => expect(Math.abs(v - tem[i]!)).toBeLessThan(1e-4));
  });

  it('does not depend on how the audio is chunked', () => {
    const a = new RhythmAnalyzer();
    for (let off = 0; off < y.length; off += 777) a.push(y.subarray(off, Math.min(y.length, off + 777)));
    const whole = analyzeRhythm(y);
    const streamed = a.finish();
    expect(Array.from(streamed.onsetStrength)).toEqual(Array.from(whole.onsetStrength));
    expect(Array.from(streamed.beats)).toEqual(Array.from(whole.beats));
    expect(Array.from(streamed.melLR!)).toEqual(Array.from(whole.melLR!));
    expect(Array.from(streamed.temLR!)).toEqual(Array.from(whole.temLR!));
  });

  it('gives the same Tem_LR when its spectrogram is spilled to disk, chunk boundaries included', () => {
    const inMemory = analyzeRhythm(y);
    const spilled = analyzeRhythm(y, { temLrMemorySeconds: 0.5 });
    expect(spilled.notes.join(' ')).toMatch(/temporary file/);
    expect(Array.from(spilled.temLR!)).toEqual(Array.from(inMemory.temLR!));
    expect(Array.from(spilled.onsetStrength)).toEqual(Array.from(inMemory.onsetStrength));
  });

  it('leaves out what is not asked for', () => {
    const fast = analyzeRhythm(y, { melLR: false, temLR: false });
    expect(fast.melLR).toBeNull();
    expect(fast.notes).toEqual([]);
  });

  it('refuses audio shorter than one FFT frame with a message that says how much is needed', () => {
    expect(() => analyzeRhythm(new Float32Array(1000))).toThrow(/too short to analyse: 1000 samples .* at least 2048 samples/);
  });
});

describe('onset detection vs human annotations (madmom sample.wav)', () => {
  it('reaches an F-measure (mir_eval, ±50 ms) of at least 0.95 on the 15 hand-marked onsets', async () => {
    const wav = path.join(madmomData, 'tests/data/audio/sample.wav');
    const y = await decodeMono(wav, { sampleRate: 44100 });
    const a = analyzeRhythm(y, { melLR: false, temLR: false });
    const ref = readFileSync(path.join(madmomData, 'tests/data/annotations/sample.onsets'), 'utf8')
      .split('\n').filter((l) => l.trim() && !l.startsWith('#')).map(Number);
    expect(ref.length).toBe(15);
    const s = onsetFMeasure(ref, a.onsets);
    console.log(`[rhythm] our onset F-measure on madmom sample.wav: F=${s.fMeasure.toFixed(4)} P=${s.precision.toFixed(4)} R=${s.recall.toFixed(4)} (${a.onsets.length} detected)`);
    expect(s.fMeasure).toBeGreaterThanOrEqual(0.95);
    // Direct beat_track on the same audio agrees with the analyzer.
    expect(beatTrack(onsetStrength(y, 44100, { aggregate: 'median' }), { sampleRate: 44100 }).bpm).toBe(a.tempo);
  });
});
