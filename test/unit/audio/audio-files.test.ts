import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { analyzeRhythmFile } from '../../../electron/core/audio/analyze-file.ts';
import { decodeMono } from '../../../electron/core/audio/decode-mono.ts';
import { makeClip } from '../../helpers/clips.ts';
import { testVideo } from '../../helpers/paths.ts';

// Decaying 880 Hz bursts every 0.5 s (120 BPM), starting at t = 0.
const CLICKS = '0.8*sin(2*PI*880*t)*exp(-mod(t,0.5)*40)';
const clicks = (name: string, sr: number, layout: string, seconds: number, extra: string[] = ['-c:a', 'pcm_s16le']) => {
  const channels = { mono: 1, stereo: 2, '5.1': 6 }[layout]!;
  const expr = Array(channels).fill(CLICKS).join('|');
  return makeClip(name, ['-f', 'lavfi', '-i', `aevalsrc='${expr}':s=${sr}:c=${layout}:d=${seconds}`, ...extra]);
};

/** Every detected onset is within 30 ms of a click, and most clicks are found. */
function expectClickOnsets(onsets: Float64Array, seconds: number) {
  const clickTimes = Array.from({ length: Math.floor(seconds * 2) }, (_, i) => i * 0.5);
  for (const t of onsets) expect(Math.min(...clickTimes.map((c) => Math.abs(c - t)))).toBeLessThan(0.03);
  expect(onsets.length).toBeGreaterThanOrEqual(clickTimes.length - 2);
}

describe('rhythm analysis of real files: rates, layouts and bad input', () => {
  it.each([
    ['mono 44.1 kHz', 44100, 'mono'],
    ['stereo 48 kHz', 48000, 'stereo'],
    ['5.1 48 kHz', 48000, '5.1'],
    ['mono 8 kHz', 8000, 'mono'],
    ['stereo 96 kHz', 96000, 'stereo'],
  ])('%s: onsets on the clicks, tempo 120 BPM within 2 percent', async (_n, sr, layout) => {
    const file = await clicks(`rhythm-clicks-${layout}-${sr}.wav`, sr, layout, 6);
    const a = await analyzeRhythmFile(file);
    expect(a.sampleRate).toBe(44100);
    expect(a.durationSec).toBeCloseTo(6, 2);
    expectClickOnsets(a.onsets, 6);
    expect(Math.abs(a.tempo - 120) / 120).toBeLessThan(0.02);
    expect(a.odfLR.length).toBe(6);
    expect(a.melLR!.length).toBe(6 * 16);
    expect(a.temLR!.length).toBe(6 * 16);
  });

  it('averages all channels with equal weight (librosa mono), not ffmpeg’s 5.1 downmix', async () => {
    // Front left only: an equal-weight mean gives 1/6 of the signal.
    const file = await makeClip('rhythm-5.1-left-only.wav', ['-f', 'lavfi', '-i', `aevalsrc='0.6|0|0|0|0|0':s=48000:c=5.1:d=0.5`, '-c:a', 'pcm_s16le']);
    const y = await decodeMono(file, { sampleRate: 48000 });
    expect(y[1000]).toBeCloseTo(0.1, 3);
  });

  it('silent audio: no onsets, tempo 0, no beats, all-zero ODF_LR, finite Mel/Tem_LR', async () => {
    const file = await makeClip('rhythm-silent.wav', ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '3', '-c:a', 'pcm_s16le']);
    const a = await analyzeRhythmFile(file);
    expect(a.onsets.length).toBe(0);
    expect(a.tempo).toBe(0);
    expect(a.beats.length).toBe(0);
    expect(Array.from(a.odfLR)).toEqual([0, 0, 0]);
    for (const m of [a.melLR!, a.temLR!]) expect(Array.from(m).every(Number.isFinite)).toBe(true);
  });

  it('a DC offset adds no onsets beyond the start', async () => {
    const file = await makeClip('rhythm-dc.wav', ['-f', 'lavfi', '-i', 'aevalsrc=0.5:s=44100:d=3', '-c:a', 'pcm_s16le']);
    const a = await analyzeRhythmFile(file);
    for (const t of a.onsets) expect(t).toBeLessThan(0.1);
    expect(Array.from(a.onsetStrength).every(Number.isFinite)).toBe(true);
  });

  it('DC offset under the clicks does not move them; clipped (hard-limited) clicks are still found', async () => {
    const dc = await makeClip('rhythm-clicks-dc.wav', ['-f', 'lavfi', '-i', `aevalsrc='0.3+0.6*sin(2*PI*880*t)*exp(-mod(t,0.5)*40)':s=44100:d=6`, '-c:a', 'pcm_s16le']);
    const clipped = await makeClip('rhythm-clicks-clipped.wav', ['-f', 'lavfi', '-i', `aevalsrc='max(-1,min(1,6*sin(2*PI*880*t)*exp(-mod(t,0.5)*20)))':s=44100:d=6`, '-c:a', 'pcm_s16le']);
    for (const f of [dc, clipped]) {
      const a = await analyzeRhythmFile(f);
      expectClickOnsets(a.onsets.filter((t) => t > 0.1), 6);
      expect(Math.abs(a.tempo - 120) / 120).toBeLessThan(0.02);
    }
  });

  it('a 0.2 s file gives one second of ODF_LR and one row of Mel/Tem_LR', async () => {
    const file = await clicks('rhythm-short-0.2s.wav', 44100, 'mono', 0.2);
    const a = await analyzeRhythmFile(file);
    expect(a.onsetStrength.length).toBe(1 + Math.floor(8820 / 512));
    expect(a.odfLR.length).toBe(1);
    expect(a.melLR!.length).toBe(16);
    expect(a.temLR!.length).toBe(16);
  });

  it('a 10 ms file is refused with a message that says how long it must be', async () => {
    const file = await clicks('rhythm-tiny-10ms.wav', 44100, 'mono', 0.01);
    await expect(analyzeRhythmFile(file)).rejects.toThrow(/too short to analyse.*at least 2048 samples \(46 ms\)/);
  });

  it('a video without audio is refused clearly', async () => {
    await expect(analyzeRhythmFile(testVideo)).rejects.toThrow(/has no audio stream/);
  });

  it('a 20-minute file streams with bounded memory (far less than the decoded audio)', async () => {
    const file = await makeClip('rhythm-20min.flac', ['-f', 'lavfi', '-i', `aevalsrc='${CLICKS}':s=22050:d=1200`, '-c:a', 'flac']);
    const tempDir = mkdtempSync(path.join(os.tmpdir(), 'v2m-temlr-test-'));
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)), 10);
    let a;
    try {
      a = await analyzeRhythmFile(file, { tempDir });
    } finally {
      clearInterval(timer);
    }
    const decodedMonoBytes = 1200 * 44100 * 4;
    expect(peak).toBeLessThan(0.6 * decodedMonoBytes);
    expect(a.durationSec).toBeCloseTo(1200, 1);
    expect(Math.abs(a.tempo - 120) / 120).toBeLessThan(0.02);
    expect(a.beats.length).toBeGreaterThan(2350);
    expect(a.odfLR.length).toBe(1200);
    expect(a.melLR!.length).toBe(1200 * 16);
    // Tem_LR too, with its hop-128 spectrogram spilled to a temporary file that is then removed.
    expect(a.temLR!.length).toBe(1200 * 16);
    expect(a.temLR!.every(Number.isFinite)).toBe(true);
    expect(a.notes.join(' ')).toMatch(/temporary file/);
    expect(readdirSync(tempDir)).toEqual([]);
    rmSync(tempDir, { recursive: true, force: true });
  }, 120_000);
});
