import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { defaultDataDir } from '../store/data-dir.ts';
import type { TrackAnalysis } from './track-analysis.ts';

// A user re-scores with the same track many times; its analysis (beats, meter, sections, the
// beat features and the spectra behind them) depends only on the file's bytes, so it is kept on
// disk under their sha256. A changed file has another hash, so it is analysed afresh; an entry
// that cannot be read whole and consistent is ignored and written again.

/** Bump whenever analyzeTrack, or anything it stands on, would give another result for the same audio. */
export const TRACK_ANALYSIS_VERSION = 1;
const MAGIC = 'v2m-remix-track-analysis';
/** The cache keeps the most recently used entries within these bounds. */
const MAX_ENTRIES = 32;
const MAX_BYTES = 512 * 1024 * 1024;

/** `V2M_CACHE_DIR`, or `cache/` in the app's data folder; the remix keeps its entries in `remix-tracks/` below it. */
export function defaultTrackCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.V2M_CACHE_DIR ? path.resolve(env.V2M_CACHE_DIR) : path.join(defaultDataDir(env), 'cache');
  return path.join(root, 'remix-tracks');
}

/** What identifies a file's content cheaply, to notice it changing while it is hashed and decoded. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export function fileStamp(file: string): FileStamp {
  const s = statSync(file);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

export const sameStamp = (a: FileStamp, b: FileStamp) => a.size === b.size && a.mtimeMs === b.mtimeMs;

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;
const KINDS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;
const kindOf = (a: Typed): Kind => (a instanceof Float64Array ? 'f64' : a instanceof Float32Array ? 'f32' : a instanceof Int32Array ? 'i32' : 'u8');

/** The typed arrays of an analysis, by a stable name; everything else in it is a plain number. */
function arraysOf(t: TrackAnalysis): Record<string, Typed> {
  const f = t.features;
  return {
    beats: t.beats, barStarts: t.barStarts, downbeat: t.downbeat, sectionStart: t.sectionStart, beatInBar: t.beatInBar,
    onsets: t.onsets, strongOnsets: t.strongOnsets,
    'features.chroma': f.chroma, 'features.timbre': f.timbre, 'features.loudnessDb': f.loudnessDb, 'features.flux': f.flux,
    'features.lowFlux': f.lowFlux, 'features.frame': f.frame,
    'frames.melDb': t.frames.melDb.data, 'frames.chroma': t.frames.chroma,
  };
}

function scalarsOf(t: TrackAnalysis) {
  return {
    sampleRate: t.sampleRate, durationSec: t.durationSec, tempoBpm: t.tempoBpm, beatsPerBar: t.beatsPerBar,
    beatFluxP95: t.beatFluxP95, pulseClarity: t.pulseClarity, meterContrast: t.meterContrast,
    featureBeats: t.features.beats, frameSampleRate: t.frames.sampleRate, hopLength: t.frames.hopLength,
    frameCount: t.frames.frames, melBins: t.frames.melDb.bins, melFrames: t.frames.melDb.frames,
  };
}
type Scalars = ReturnType<typeof scalarsOf>;

const entryFile = (dir: string, sha: string) => path.join(dir, `${sha}.v${TRACK_ANALYSIS_VERSION}.bin`);

/** The entry as bytes: a JSON header line (magic, version, hash, scalars, array layout), then the arrays, 8-byte aligned. */
export function encodeTrackAnalysis(t: TrackAnalysis, sha: string): Uint8Array {
  const arrays = arraysOf(t);
  const layout: { name: string; kind: Kind; length: number; offset: number }[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    layout.push({ name, kind: kindOf(a), length: a.length, offset });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header = Buffer.from(`${JSON.stringify({ magic: MAGIC, version: TRACK_ANALYSIS_VERSION, sha, scalars: scalarsOf(t), layout, bytes: offset })}\n`);
  const start = Math.ceil(header.length / 8) * 8;
  const out = new Uint8Array(start + offset);
  out.set(header);
  out.fill(0x20, header.length, start);
  for (const [i, a] of Object.values(arrays).entries()) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + layout[i]!.offset);
  return out;
}

/** The analysis from an entry's bytes, or null when they are not a whole, consistent entry for `sha`. */
export function decodeTrackAnalysis(bytes: Uint8Array, sha: string): TrackAnalysis | null {
  try {
    const nl = bytes.indexOf(0x0a);
    if (nl < 0 || nl > 1 << 16) return null;
    const h = JSON.parse(Buffer.from(bytes.subarray(0, nl)).toString('utf8'));
    if (h?.magic !== MAGIC || h.version !== TRACK_ANALYSIS_VERSION || h.sha !== sha || !Array.isArray(h.layout)) return null;
    const start = Math.ceil((nl + 1) / 8) * 8;
    if (!Number.isInteger(h.bytes) || bytes.length !== start + h.bytes) return null;
    const a: Record<string, Typed> = {};
    for (const e of h.layout as { name: string; kind: Kind; length: number; offset: number }[]) {
      const Ctor = KINDS[e.kind];
      if (!Ctor || !Number.isInteger(e.length) || !Number.isInteger(e.offset) || e.length < 0 || e.offset < 0) return null;
      const byteLength = e.length * Ctor.BYTES_PER_ELEMENT;
      if (e.offset + byteLength > h.bytes) return null;
      // A copy, so each array is aligned and owns its memory.
      // (Uint8Array.from, not slice: a Buffer's slice is a view of the whole file.)
      a[e.name] = new Ctor(Uint8Array.from(bytes.subarray(start + e.offset, start + e.offset + byteLength)).buffer);
    }
    const s = h.scalars as Scalars;
    for (const v of Object.values(s ?? {})) if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    const n = a.beats?.length;
    // Per-beat arrays hold one row per beat; the frame spectra at least their frames (they may be allocated longer).
    const exactly: [string, number][] = [
      ['beats', n!], ['downbeat', n!], ['sectionStart', n!], ['beatInBar', n!], ['features.loudnessDb', n!], ['features.flux', n!],
      ['features.lowFlux', n!], ['features.frame', n!], ['features.chroma', 12 * n!], ['features.timbre', 16 * n!],
    ];
    const atLeast: [string, number][] = [['frames.melDb', s.melBins * s.melFrames], ['frames.chroma', 12 * s.frameCount]];
    if (!n || s.featureBeats !== n || exactly.some(([k, len]) => a[k]?.length !== len) || atLeast.some(([k, len]) => !a[k] || a[k].length < len)) return null;
    if (!a.barStarts || !a.onsets || !a.strongOnsets) return null;
    return {
      sampleRate: s.sampleRate, durationSec: s.durationSec, tempoBpm: s.tempoBpm, beatsPerBar: s.beatsPerBar,
      beats: a.beats as Float64Array, barStarts: a.barStarts as Int32Array, downbeat: a.downbeat as Uint8Array,
      sectionStart: a.sectionStart as Uint8Array, beatInBar: a.beatInBar as Int32Array,
      onsets: a.onsets as Float64Array, strongOnsets: a.strongOnsets as Float64Array,
      features: {
        beats: n, chroma: a['features.chroma'] as Float32Array, timbre: a['features.timbre'] as Float32Array,
        loudnessDb: a['features.loudnessDb'] as Float32Array, flux: a['features.flux'] as Float32Array,
        lowFlux: a['features.lowFlux'] as Float32Array, frame: a['features.frame'] as Int32Array,
      },
      frames: {
        sampleRate: s.frameSampleRate, hopLength: s.hopLength, frames: s.frameCount,
        melDb: { data: a['frames.melDb'] as Float32Array, bins: s.melBins, frames: s.melFrames }, chroma: a['frames.chroma'] as Float32Array,
      },
      beatFluxP95: s.beatFluxP95, pulseClarity: s.pulseClarity, meterContrast: s.meterContrast,
    };
  } catch {
    return null;
  }
}

/** The cached analysis of the content hashed `sha`, or null (none, unreadable, or another version). A hit is marked recently used. */
export function readCachedAnalysis(dir: string, sha: string): TrackAnalysis | null {
  const file = entryFile(dir, sha);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const t = decodeTrackAnalysis(bytes, sha);
  if (t) {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // Read-only cache: still a hit.
    }
  }
  return t;
}

/**
 * Stores an analysis (atomically: a reader sees the old entry or the new one, never half) and
 * trims the cache to its bounds, least recently used first. A cache that cannot be written is
 * only slower, never an error.
 */
export function writeCachedAnalysis(dir: string, sha: string, t: TrackAnalysis): boolean {
  try {
    writeFileAtomic(entryFile(dir, sha), encodeTrackAnalysis(t, sha), { mkdir: true });
  } catch {
    return false;
  }
  try {
    const entries = readdirSync(dir)
      .filter((n) => n.endsWith('.bin') && !n.startsWith('.'))
      .map((n) => {
        const st = statSync(path.join(dir, n));
        return { n, t: st.mtimeMs, size: st.size };
      })
      .sort((a, b) => b.t - a.t);
    let bytes = 0;
    for (const [i, e] of entries.entries()) {
      bytes += e.size;
      if (i > 0 && (i >= MAX_ENTRIES || bytes > MAX_BYTES)) rmSync(path.join(dir, e.n), { force: true });
    }
  } catch {
    // Trimming is housekeeping.
  }
  return true;
}
