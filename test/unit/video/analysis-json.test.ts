import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisFromJson, analysisToJson } from '../../../electron/core/video/analysis-json.ts';
import { readAnalysisFile, sidecarPathFor, stringifyCompactArrays, writeAnalysisFile } from '../../../electron/core/video/analysis-file.ts';
import { moodOf, perSecondMood } from '../../../electron/core/video/mood.ts';
import { VIDEO_ANALYSIS_VERSION, type VideoAnalysis } from '../../../electron/core/video/video-analysis.ts';
import { DEFAULT_VISUAL_BEAT_PARAMS } from '../../../electron/core/video/visual-beats.ts';
import { DEFAULT_VISUAL_RHYTHM_PARAMS } from '../../../electron/core/video/visual-rhythm.ts';

/** A small but complete analysis with every optional part present. */
function sample(): VideoAnalysis {
  const n = 50;
  const frameTimes = Float64Array.from({ length: n }, (_, i) => i / 25);
  const curve = Float32Array.from({ length: n }, (_, i) => Math.abs(Math.sin(i / 3)));
  const colours = [0.2, 0.6].map((b) => ({ brightness: b, saturation: 0.3, warmth: 0.1, colourfulness: 40 }));
  const perSecond = perSecondMood({ durationSec: 2, startSec: 0, seconds: 2, sampleTimes: [0, 1], sampleColours: colours, frameTimes, curve, cutTimes: [1.2] });
  const hist = Float32Array.from({ length: 2 * 3072 }, (_, i) => (i % 7) / 3072);
  return {
    version: VIDEO_ANALYSIS_VERSION,
    source: { path: '/v/clip.mp4', sizeBytes: 1234, width: 640, height: 360, codec: 'h264', vfr: false },
    durationSec: 2, startSec: 0, fps: 25, frameCount: n, seconds: 2,
    sceneDetector: 'content',
    sceneCuts: [{ frame: 30, timeSec: 1.2, score: 41.5 }],
    contentValues: Float64Array.from({ length: n }, (_, i) => i * 0.123456789),
    sceneVector: Uint8Array.from([0, 1]),
    visualRhythm: { fps: 25, curve, frameTimes, params: DEFAULT_VISUAL_RHYTHM_PARAMS },
    visualBeats: [{ timeSec: 0.4, strength: 0.75 }, { timeSec: 1.2, strength: 1 }],
    visualBeatParams: DEFAULT_VISUAL_BEAT_PARAMS,
    visualBeatVector: Float32Array.from([0.75, 1]),
    colourHistograms: { dim: 3072, times: Float64Array.from([0, 1]), data: hist, recipe: 'test recipe' },
    mood: { overall: moodOf(colours[0]!, 0.4, 30), perSecond, perScene: [{ startSec: 0, endSec: 1.2, ...moodOf(colours[0]!, 0.3, 50) }] },
    filmstrip: { intervalSec: 1, width: 64, height: 36, tiles: [{ timeSec: 0, jpeg: Uint8Array.from([0xff, 0xd8, 1, 2, 0xff, 0xd9]) }, { timeSec: 1, jpeg: Uint8Array.from([0xff, 0xd8, 3, 0xff, 0xd9]) }] },
    waveform: { sampleRate: 22050, frames: 44100, levels: [{ samplesPerBucket: 256, min: Float32Array.from([-0.5, -0.25]), max: Float32Array.from([0.5, 0.125]) }] },
    complete: true,
    warnings: ['a warning'],
  };
}

/** Round trip equality: float32 data exact, JSON-rounded float32 curves to 7 digits. */
function expectSame(a: VideoAnalysis, b: VideoAnalysis): void {
  expect(b.sceneCuts).toEqual(a.sceneCuts);
  expect(Array.from(b.sceneVector)).toEqual(Array.from(a.sceneVector));
  expect(Array.from(b.contentValues)).toEqual(Array.from(a.contentValues));
  expect(Array.from(b.visualRhythm.frameTimes)).toEqual(Array.from(a.visualRhythm.frameTimes));
  for (let i = 0; i < a.visualRhythm.curve.length; i++) expect(b.visualRhythm.curve[i]).toBeCloseTo(a.visualRhythm.curve[i]!, 6);
  expect(b.visualBeats).toEqual(a.visualBeats);
  expect(Array.from(b.colourHistograms!.data)).toEqual(Array.from(a.colourHistograms!.data));
  expect(b.filmstrip!.tiles.map((t) => Array.from(t.jpeg))).toEqual(a.filmstrip!.tiles.map((t) => Array.from(t.jpeg)));
  expect(Array.from(b.waveform!.levels[0]!.min)).toEqual(Array.from(a.waveform!.levels[0]!.min));
  expect(b.mood.perScene).toEqual(a.mood.perScene);
  for (let i = 0; i < a.mood.perSecond.valence.length; i++) expect(b.mood.perSecond.valence[i]).toBeCloseTo(a.mood.perSecond.valence[i]!, 6);
  expect(b.warnings).toEqual(a.warnings);
  expect(b.version).toBe(VIDEO_ANALYSIS_VERSION);
}

describe('analysis JSON form', () => {
  it('has the fields the CLI promises, with the large arrays out of the text', () => {
    const { json, sidecar } = analysisToJson(sample(), { inline: false, binaryFile: 'x.bin' });
    for (const k of ['durationSec', 'fps', 'frameCount', 'sceneCuts', 'sceneVector', 'visualRhythm', 'visualBeats', 'visualBeatVector', 'mood', 'colourHistograms'] as const) {
      expect(json[k]).toBeDefined();
    }
    expect(json.visualRhythm.curve).toHaveLength(50);
    expect(json.binaryFile).toBe('x.bin');
    expect(sidecar!.byteLength).toBeGreaterThanOrEqual(2 * 3072 * 4);
    expect(json.colourHistograms!.data).toMatchObject({ dtype: 'float32', length: 6144, offset: 0 });
    // Every array starts 8-byte aligned in the sidecar.
    for (const ref of json.filmstrip!.jpeg) expect('offset' in ref && ref.offset % 8).toBe(0);
  });

  it('round-trips inline (base64) and with a sidecar', () => {
    const a = sample();
    const inline = analysisToJson(a, { inline: true });
    expect(inline.sidecar).toBeNull();
    expect(inline.json.binaryFile).toBeUndefined();
    expectSame(a, analysisFromJson(JSON.parse(JSON.stringify(inline.json))));
    const side = analysisToJson(a, { inline: false });
    expectSame(a, analysisFromJson(JSON.parse(JSON.stringify(side.json)), side.sidecar));
  });

  it('refuses other versions, non-analyses, a missing or short sidecar with messages a user can act on', () => {
    const { json, sidecar } = analysisToJson(sample(), { inline: false });
    expect(() => analysisFromJson({ ...json, version: 99 })).toThrow(/format version 99.*Analyse the video again/);
    expect(() => analysisFromJson({ hello: 1 })).toThrow(/not a V2M Studio video analysis/);
    expect(() => analysisFromJson({ ...json, visualBeats: undefined }, sidecar)).toThrow(/"visualBeats" is missing/);
    expect(() => analysisFromJson(json, null)).toThrow(/separate binary file, which was not found/);
    expect(() => analysisFromJson(json, sidecar!.subarray(0, 100))).toThrow(/binary file is shorter than the JSON says/);
  });
});

describe('analysis files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-analysis-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes out.json + out.bin and reads them back', async () => {
    const a = sample();
    const out = path.join(dir, 'out.json');
    const written = await writeAnalysisFile(a, out);
    expect(written).toEqual({ json: out, sidecar: path.join(dir, 'out.bin') });
    expect(sidecarPathFor(out)).toBe(path.join(dir, 'out.bin'));
    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text).binaryFile).toBe('out.bin');
    expect(text).toMatch(/"sceneVector": \[0,1\]/); // number arrays stay on one line
    expectSame(a, await readAnalysisFile(out));
  });

  it('reports a damaged JSON, a missing file and a truncated sidecar clearly', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1, ');
    await expect(readAnalysisFile(bad)).rejects.toThrow(/not valid JSON/);
    await expect(readAnalysisFile(path.join(dir, 'none.json'))).rejects.toThrow(/Cannot read the analysis file/);
    const out = path.join(dir, 'cut.json');
    await writeAnalysisFile(sample(), out);
    truncateSync(sidecarPathFor(out), 64);
    await expect(readAnalysisFile(out)).rejects.toThrow(/shorter than the JSON says/);
    rmSync(sidecarPathFor(out));
    await expect(readAnalysisFile(out)).rejects.toThrow(/needs its binary file/);
  });

  it('compact stringify keeps nested objects indented', () => {
    expect(stringifyCompactArrays({ a: [1, -2.5e-7, 3], b: { c: 'x' }, d: [{ e: 1 }] })).toBe('{\n "a": [1,-2.5e-7,3],\n "b": {\n  "c": "x"\n },\n "d": [\n  {\n   "e": 1\n  }\n ]\n}');
  });
});
