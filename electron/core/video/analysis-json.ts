import type { SceneCut } from './scene/index.ts';
import type { MoodDescriptors, MoodSeries, SceneMood } from './mood.ts';
import { VIDEO_ANALYSIS_VERSION, type VideoAnalysis } from './video-analysis.ts';
import type { VisualBeat, VisualBeatParams } from './visual-beats.ts';
import type { VisualRhythmParams } from './visual-rhythm.ts';

type DType = 'float32' | 'float64' | 'uint8';

/** A typed array kept out of the JSON text: bytes in the sidecar file, or base64 inline. */
export type BinaryRef =
  | { dtype: DType; length: number; offset: number; byteLength: number }
  | { dtype: DType; length: number; base64: string };

const MOOD_KEYS = ['brightness', 'saturation', 'warmth', 'colourfulness', 'motionEnergy', 'cutRate', 'valence', 'arousal'] as const;

/** The JSON form of a VideoAnalysis (what `v2m analyze --json` writes). */
export interface VideoAnalysisJson {
  version: number;
  source: VideoAnalysis['source'];
  durationSec: number;
  startSec: number;
  fps: number;
  frameCount: number;
  seconds: number;
  complete: boolean;
  warnings: string[];
  sceneDetector: VideoAnalysis['sceneDetector'];
  sceneCuts: SceneCut[];
  sceneVector: number[];
  contentValues: number[];
  visualRhythm: { fps: number; curve: number[]; frameTimes: number[]; params: VisualRhythmParams };
  visualBeats: VisualBeat[];
  visualBeatParams: VisualBeatParams;
  visualBeatVector: number[];
  mood: { overall: MoodDescriptors; perSecond: Record<keyof MoodSeries, number[]>; perScene: SceneMood[] };
  colourHistograms: { dim: number; rows: number; times: number[]; recipe: string; data: BinaryRef } | null;
  filmstrip: { intervalSec: number; width: number; height: number; times: number[]; jpeg: BinaryRef[] } | null;
  waveform: { sampleRate: number; frames: number; levels: Array<{ samplesPerBucket: number; min: BinaryRef; max: BinaryRef }> } | null;
  /** Sidecar file (same folder) holding the BinaryRefs with offsets; absent when all is inline. */
  binaryFile?: string;
}

/** Float32 values with the digits a float32 really has, so the JSON stays short. */
const f32 = (a: Float32Array): number[] => Array.from(a, (v) => Number(v.toPrecision(7)));

class BinaryPacker {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  constructor(readonly inline: boolean) {}

  add(a: Float32Array | Float64Array | Uint8Array): BinaryRef {
    const dtype: DType = a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'uint8';
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    if (this.inline) return { dtype, length: a.length, base64: Buffer.from(bytes).toString('base64') };
    const pad = (8 - (this.size % 8)) % 8; // keep every array aligned for a zero-copy view
    if (pad) {
      this.chunks.push(new Uint8Array(pad));
      this.size += pad;
    }
    const ref = { dtype, length: a.length, offset: this.size, byteLength: bytes.byteLength };
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    return ref;
  }

  bytes(): Uint8Array | null {
    if (this.inline || this.size === 0) return null;
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/**
 * The JSON form. Histograms, filmstrip JPEGs and waveform levels go to `sidecar` bytes
 * (little-endian, as typed arrays are on every platform Electron runs on) unless `inline`,
 * which base64-encodes them into the JSON instead.
 */
export function analysisToJson(a: VideoAnalysis, opts: { inline: boolean; binaryFile?: string }): { json: VideoAnalysisJson; sidecar: Uint8Array | null } {
  const bin = new BinaryPacker(opts.inline);
  const perSecond = Object.fromEntries(MOOD_KEYS.map((k) => [k, f32(a.mood.perSecond[k])])) as Record<keyof MoodSeries, number[]>;
  const json: VideoAnalysisJson = {
    version: a.version,
    source: a.source,
    durationSec: a.durationSec,
    startSec: a.startSec,
    fps: a.fps,
    frameCount: a.frameCount,
    seconds: a.seconds,
    complete: a.complete,
    warnings: a.warnings,
    sceneDetector: a.sceneDetector,
    sceneCuts: a.sceneCuts,
    sceneVector: Array.from(a.sceneVector),
    contentValues: Array.from(a.contentValues),
    visualRhythm: { fps: a.visualRhythm.fps, curve: f32(a.visualRhythm.curve), frameTimes: Array.from(a.visualRhythm.frameTimes), params: a.visualRhythm.params },
    visualBeats: a.visualBeats,
    visualBeatParams: a.visualBeatParams,
    visualBeatVector: f32(a.visualBeatVector),
    mood: { overall: a.mood.overall, perSecond, perScene: a.mood.perScene },
    colourHistograms: a.colourHistograms && {
      dim: a.colourHistograms.dim,
      rows: a.colourHistograms.times.length,
      times: Array.from(a.colourHistograms.times),
      recipe: a.colourHistograms.recipe,
      data: bin.add(a.colourHistograms.data),
    },
    filmstrip: a.filmstrip && {
      intervalSec: a.filmstrip.intervalSec,
      width: a.filmstrip.width,
      height: a.filmstrip.height,
      times: a.filmstrip.tiles.map((t) => t.timeSec),
      jpeg: a.filmstrip.tiles.map((t) => bin.add(t.jpeg)),
    },
    waveform: a.waveform && {
      sampleRate: a.waveform.sampleRate,
      frames: a.waveform.frames,
      levels: a.waveform.levels.map((l) => ({ samplesPerBucket: l.samplesPerBucket, min: bin.add(l.min), max: bin.add(l.max) })),
    },
  };
  const sidecar = bin.bytes();
  if (sidecar) json.binaryFile = opts.binaryFile ?? 'analysis.bin';
  return { json, sidecar };
}

function readRef(ref: BinaryRef, sidecar: Uint8Array | null, what: string): Float32Array | Float64Array | Uint8Array {
  let bytes: Uint8Array;
  if ('base64' in ref) bytes = new Uint8Array(Buffer.from(ref.base64, 'base64'));
  else {
    if (!sidecar) throw new Error(`The analysis keeps its ${what} in a separate binary file, which was not found next to the JSON.`);
    if (ref.offset + ref.byteLength > sidecar.byteLength) {
      throw new Error(`The analysis binary file is shorter than the JSON says (${what}): it is truncated or belongs to another analysis.`);
    }
    // Copy: the sidecar's offsets need not suit a view of every element size.
    bytes = sidecar.slice(ref.offset, ref.offset + ref.byteLength);
  }
  const size = ref.dtype === 'float32' ? 4 : ref.dtype === 'float64' ? 8 : 1;
  if (bytes.byteLength !== ref.length * size) throw new Error(`The analysis data for ${what} has ${bytes.byteLength} bytes, expected ${ref.length * size}.`);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return ref.dtype === 'float32' ? new Float32Array(buf) : ref.dtype === 'float64' ? new Float64Array(buf) : new Uint8Array(buf);
}

/** Rebuilds a VideoAnalysis from its JSON form (and the sidecar bytes, if it has one). */
export function analysisFromJson(value: unknown, sidecar: Uint8Array | null = null): VideoAnalysis {
  const j = value as VideoAnalysisJson;
  if (!j || typeof j !== 'object' || typeof j.version !== 'number') throw new Error('This is not a V2M Studio video analysis (no version field).');
  if (j.version !== VIDEO_ANALYSIS_VERSION) {
    throw new Error(`This video analysis has format version ${j.version}; this V2M Studio reads version ${VIDEO_ANALYSIS_VERSION}. Analyse the video again.`);
  }
  for (const k of ['sceneCuts', 'sceneVector', 'visualRhythm', 'visualBeats', 'visualBeatVector', 'mood'] as const) {
    if (j[k] === undefined || j[k] === null) throw new Error(`The video analysis is incomplete: "${k}" is missing.`);
  }
  const perSecond = Object.fromEntries(MOOD_KEYS.map((k) => [k, Float32Array.from(j.mood.perSecond[k] ?? [])])) as unknown as MoodSeries;
  return {
    version: VIDEO_ANALYSIS_VERSION,
    source: j.source,
    durationSec: j.durationSec,
    startSec: j.startSec,
    fps: j.fps,
    frameCount: j.frameCount,
    seconds: j.seconds,
    complete: j.complete,
    warnings: j.warnings ?? [],
    sceneDetector: j.sceneDetector,
    sceneCuts: j.sceneCuts,
    sceneVector: Uint8Array.from(j.sceneVector),
    contentValues: Float64Array.from(j.contentValues ?? []),
    visualRhythm: {
      fps: j.visualRhythm.fps,
      curve: Float32Array.from(j.visualRhythm.curve),
      frameTimes: Float64Array.from(j.visualRhythm.frameTimes),
      params: j.visualRhythm.params,
    },
    visualBeats: j.visualBeats,
    visualBeatParams: j.visualBeatParams,
    visualBeatVector: Float32Array.from(j.visualBeatVector),
    mood: { overall: j.mood.overall, perSecond, perScene: j.mood.perScene },
    colourHistograms: j.colourHistograms && {
      dim: j.colourHistograms.dim,
      times: Float64Array.from(j.colourHistograms.times),
      data: readRef(j.colourHistograms.data, sidecar, 'colour histograms') as Float32Array,
      recipe: j.colourHistograms.recipe,
    },
    filmstrip: j.filmstrip && {
      intervalSec: j.filmstrip.intervalSec,
      width: j.filmstrip.width,
      height: j.filmstrip.height,
      tiles: j.filmstrip.jpeg.map((ref, i) => ({ timeSec: j.filmstrip!.times[i]!, jpeg: readRef(ref, sidecar, 'filmstrip') as Uint8Array })),
    },
    waveform: j.waveform && {
      sampleRate: j.waveform.sampleRate,
      frames: j.waveform.frames,
      levels: j.waveform.levels.map((l) => ({
        samplesPerBucket: l.samplesPerBucket,
        min: readRef(l.min, sidecar, 'waveform') as Float32Array,
        max: readRef(l.max, sidecar, 'waveform') as Float32Array,
      })),
    },
  };
}
