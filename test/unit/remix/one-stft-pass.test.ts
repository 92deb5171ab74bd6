import { describe, expect, it } from 'vitest';
import { analyzeRhythm, pulseFromMelDb } from '../../../electron/core/audio/index.ts';
import { frameFeatures } from '../../../electron/core/remix/beat-features.ts';
import { clickTrack } from '../audio/fixtures.ts';

describe('the track analysis reads one STFT pass', () => {
  it('gives the beat tracker the same spectrogram as its own front end: onsets, tempo, beats and ODF unchanged', () => {
    // Clicks with a detuned tone under them, and an odd length (the last frame is partial).
    const clicks = clickTrack(44100);
    const y = new Float32Array(clicks.length - 333);
    for (let i = 0; i < y.length; i++) y[i] = clicks[i]! + 0.05 * Math.sin((2 * Math.PI * 233.1 * i) / 44100);
    const own = analyzeRhythm(y, { sampleRate: 44100, melLR: false, temLR: false });
    const ff = frameFeatures(y, 44100);
    expect(ff.frames).toBe(own.onsetStrength.length);
    const shared = pulseFromMelDb(ff.melDb, y.length, 44100);
    expect(Array.from(shared.onsetStrength)).toEqual(Array.from(own.onsetStrength));
    expect(Array.from(shared.onsets)).toEqual(Array.from(own.onsets));
    expect(shared.tempo).toBe(own.tempo);
    expect(shared.beats.length).toBeGreaterThan(4);
    expect(Array.from(shared.beats)).toEqual(Array.from(own.beats));
    expect(Array.from(shared.odfLR)).toEqual(Array.from(own.odfLR));
  });
});
