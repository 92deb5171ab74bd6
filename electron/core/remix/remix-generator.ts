import { masterStereo, memorySource, type MasterResult } from '../mastering/index.ts';
import { timeStretch, type StretchEngine } from '../media/index.ts';
import type { RhythmPlan } from '../rhythm/index.ts';
import { arrange, SearchScratch, type AimAccent, type Arrangement } from './arrangement-search.ts';
import { RemixError } from './remix-error.ts';
import { eventsInOutput, landingRates, type LandingRates } from './remix-metrics.ts';
import { renderArrangement, type Stretcher } from './render-remix.ts';
import { contentHash } from '../files/content-hash.ts';
import { defaultTrackCacheDir, fileStamp, readCachedAnalysis, sameStamp, writeCachedAnalysis } from './track-cache.ts';
import { analyzeTrack, loadTrack, type DecodedTrack, type TrackAnalysis } from './track-analysis.ts';
import { isAbortError } from '../media/index.ts';
import { jumpCandidates } from './transitions.ts';
import { SeamFlux } from './seam-flux.ts';

export type RemixStage = 'track-analysis' | 'arranging' | 'rendering' | 'mastering';

export interface RemixOptions {
  /** The user's track. */
  music: string;
  /** The mastered WAV. */
  out: string;
  /** Largest tempo nudge, as a fraction (at most 0.06). */
  maxStretch?: number;
  /** Aim downbeats and strong onsets at the plan's accents (default true); false gives the unaimed remix. */
  aim?: boolean;
  /** An already decoded track (to remix one track for several clips). */
  track?: DecodedTrack;
  /** Folder of the track-analysis cache (default: defaultTrackCacheDir()); false analyses every time. */
  trackCache?: string | false;
  signal?: AbortSignal;
  onProgress?: (p: { stage: RemixStage; fraction: number }) => void;
}

export interface RemixSeam {
  outSec: number;
  fromSrcSec: number;
  toSrcSec: number;
  similarity: number;
  /** Spectral flux measured in the rendered output around the seam. */
  flux: number;
}

export interface RemixSummary {
  music: string;
  trackSec: number;
  tempoBpm: number;
  beatsPerBar: number;
  bars: number;
  sections: number;
  /** Per segment from its output start: output tempo / source tempo − 1, in percent (the nudge, pitch kept). */
  tempo: { outStartSec: number; changePercent: number }[];
  /** Which stretchers ran (none when every segment plays as recorded). */
  stretchEngines: StretchEngine[];
  ending: 'real' | 'fade';
  fadeSec: number;
  /** The track's analysis came from the cache (its content was analysed before). */
  analysisCached: boolean;
  seams: RemixSeam[];
  /** The track's 95th percentile of flux at its beats: no seam may exceed it. */
  beatFluxP95: number;
  /** Share of the plan's cuts on an output downbeat (or strong onset) within ±50 ms: this remix and an unaimed one. */
  cuts: { aimed: LandingRates; unaimed: LandingRates };
  /**
   * Seconds per step; totalSec is the remix itself (without the unaimed baseline, computed only for
   * the report). masteringSec is 0 where the caller masters the audio (the scoring pipeline).
   */
  timings: { analysisSec: number; arrangingSec: number; renderingSec: number; masteringSec: number; unaimedBaselineSec: number; totalSec: number };
  /** What the listener should know (a seam that stayed abrupt after every repair). */
  warnings: string[];
}

export interface RemixResult {
  render: MasterResult;
  summary: RemixSummary;
  arrangement: Arrangement;
}

/** The remix before mastering: exactly the clip's duration, interleaved stereo at the track's rate. */
export interface RemixAudio {
  stereo: Float32Array;
  sampleRate: number;
  /** Frames of the closing fade (0 when the track's real ending is kept). */
  fadeFrames: number;
  summary: RemixSummary;
  arrangement: Arrangement;
}

/** Re-searches after banning a seam that measured too abrupt, at most this often. */
const MAX_REPAIRS = 4;
/** Predicted seam flux allowed (share of the track's p95) in each round: each repair asks for more margin. */
const FLUX_SHARE = [0.85, 0.75, 0.65, 0.55, 0.45] as const;
/**
 * Output-time grid of the unaimed baseline's search: with no accents to hit, the grid only
 * decides which states merge, so a coarser one (a quarter of the states) finds as continuous a
 * remix for a fraction of the time.
 */
const UNAIMED_GRID_SEC = 0.04;
/** Up to this nudge ffmpeg's atempo (WSOLA) is transparent enough and ~15× cheaper than rubberband. */
const ATEMPO_MAX_NUDGE = 0.03;

/**
 * The cached analysis of the track's content, if any, and a way to store a fresh one. Nothing is
 * stored when the file changed while it was hashed and decoded (its analysis would be filed
 * under the old content's hash).
 */
async function lookUpAnalysis(file: string, dir: string | null, signal?: AbortSignal): Promise<{ analysis: TrackAnalysis | null; store: (t: TrackAnalysis) => void }> {
  const none = { analysis: null, store: () => undefined };
  if (!dir) return none;
  let stamp, sha: string;
  try {
    stamp = fileStamp(file);
    sha = await contentHash(file, signal);
  } catch (e) {
    if (isAbortError(e)) throw e;
    return none;
  }
  return {
    analysis: readCachedAnalysis(dir, sha),
    store: (t) => {
      let now;
      try {
        now = fileStamp(file);
      } catch {
        return;
      }
      if (sameStamp(stamp, now)) writeCachedAnalysis(dir, sha, t);
    },
  };
}

function maxOf(a: Float32Array): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

function aimAccents(plan: RhythmPlan): AimAccent[] {
  return plan.accents.map((a) => ({ timeSec: a.timeSec, strength: a.strength, cut: a.kind === 'cut' }));
}

async function renderAndMeasure(track: DecodedTrack, ta: TrackAnalysis, a: Arrangement, stretch: Stretcher, seamFlux: SeamFlux) {
  const barSec = (60 / ta.tempoBpm) * ta.beatsPerBar;
  const r = await renderArrangement(track.stereo, track.sampleRate, a, barSec, stretch);
  return { r, flux: Array.from(r.seamFrames, (f) => seamFlux.rendered(r.stereo, f)) };
}

/**
 * The remix generator: the user's track re-arranged to the clip's exact duration, its downbeats
 * and strong onsets aimed at the plan's accents, seams only between beats that sound alike,
 * crossfaded on the beat, nudged in tempo (pitch kept) by at most ±6 %. Unmastered: the
 * pipeline masters it as it does every generator's audio (−14 LUFS, ≤ −1 dBTP).
 */
export async function remixAudio(plan: RhythmPlan, o: Omit<RemixOptions, 'out'>): Promise<RemixAudio> {
  const t0 = performance.now();
  const maxStretch = o.maxStretch ?? 0.06;
  if (!(maxStretch >= 0 && maxStretch <= 0.06)) throw new RemixError('BAD_OPTIONS', `The tempo nudge must lie within 0..6 %, got ${(maxStretch * 100).toFixed(1)} %.`);
  const D = plan.durationSec;
  if (!(D > 0)) throw new RemixError('BAD_OPTIONS', `The clip's duration must be positive, got ${D} s.`);
  const progress = (stage: RemixStage, fraction: number) => o.onProgress?.({ stage, fraction });
  progress('track-analysis', 0);
  const cached = lookUpAnalysis(o.track?.path ?? o.music, o.trackCache === false ? null : (o.trackCache ?? defaultTrackCacheDir()), o.signal);
  // Hashing the file overlaps ffmpeg's decoding; a failure here is left to loadTrack to explain.
  cached.catch(() => undefined);
  const track = o.track ?? (await loadTrack(o.music, { signal: o.signal, onProgress: (f) => progress('track-analysis', 0.5 * f) }));
  const hit = await cached;
  o.signal?.throwIfAborted();
  // A hit must describe this very decode (same rate and length), or it is not used.
  let ta = hit.analysis && hit.analysis.sampleRate === track.sampleRate && hit.analysis.durationSec === track.mono.length / track.sampleRate ? hit.analysis : null;
  const analysisCached = ta !== null;
  if (!ta) {
    ta = analyzeTrack(track.mono, track.sampleRate, `The music ${o.music}`);
    hit.store(ta);
  }
  progress('track-analysis', 1);
  const t1 = performance.now();

  const accents = aimAccents(plan);
  const banned = new Set<string>();
  const bannedTargets = new Set<number>();
  let fluxShare: number = FLUX_SHARE[0];
  const searchOpts = { durationSec: D, accents, maxStretch, scratch: new SearchScratch() };
  let arrangement: Arrangement;
  let jumps: ReturnType<typeof jumpCandidates>;
  let measured: Awaited<ReturnType<typeof renderAndMeasure>> | undefined;
  const engines = new Set<StretchEngine>();
  // Repair rounds mostly keep the same segments: each stretch (a span of the track at a factor) runs once.
  // (The promise is kept, so two segments asking for the same stretch at once share one run.)
  const stretched = new Map<string, Promise<{ samples: Float32Array; engine: StretchEngine }>>();
  const stretch: Stretcher = async (pcm, lengthFactor) => {
    const key = `${pcm.byteOffset}:${pcm.length}:${lengthFactor}`;
    let p = stretched.get(key);
    if (!p) {
      p = timeStretch(pcm, {
        sampleRate: track.sampleRate, channels: 2, lengthFactor, signal: o.signal,
        engine: Math.abs(lengthFactor - 1) <= ATEMPO_MAX_NUDGE ? 'atempo' : 'rubberband',
      });
      stretched.set(key, p);
      // A failed or cancelled stretch is not remembered.
      p.catch(() => stretched.delete(key));
    }
    const r = await p;
    engines.add(r.engine);
    return r.samples;
  };
  let arrangingMs = 0, renderingMs = 0;
  const sr = track.sampleRate;
  const seamFlux = new SeamFlux(track.mono, sr, maxOf(ta.frames.melDb.data));
  // The candidates' seams previewed as recorded (at one frame phase): every round asks again for the same pairs.
  const candidateFlux = new Map<number, number>();
  const nBeats = ta.beats.length;
  const candidateSeamFlux = (a: number, b: number) => {
    const key = a * nBeats + b;
    let f = candidateFlux.get(key);
    if (f === undefined) candidateFlux.set(key, (f = seamFlux.candidate(Math.round(ta.beats[a]! * sr), Math.round(ta.beats[b]! * sr))));
    return f;
  };
  for (let round = 0; ; round++) {
    o.signal?.throwIfAborted();
    const s0 = performance.now();
    progress('arranging', round / (MAX_REPAIRS + 1));
    fluxShare = FLUX_SHARE[Math.min(round, FLUX_SHARE.length - 1)]!;
    jumps = jumpCandidates(ta, candidateSeamFlux, { banned, bannedTargets, fluxShare });
    arrangement = arrange(ta, jumps, searchOpts);
    const last = round === MAX_REPAIRS;
    // A seam the preview already finds too abrupt is repaired without rendering the remix.
    let bad = last ? [] : arrangement.seams.filter((s) => seamFlux.preview(Math.round(s.fromSrcSec * sr), Math.round(s.toSrcSec * sr), Math.round(s.outSec * sr)) > ta.beatFluxP95);
    const s1 = performance.now();
    arrangingMs += s1 - s0;
    if (!bad.length) {
      engines.clear();
      measured = await renderAndMeasure(track, ta, arrangement, stretch, seamFlux);
      renderingMs += performance.now() - s1;
      progress('rendering', round / (MAX_REPAIRS + 1));
      const flux = measured.flux;
      bad = arrangement.seams.filter((s, i) => flux[i]! > ta.beatFluxP95);
      if (!bad.length || last) break;
    }
    // The pair, and (from the second repair on) any jump into a beat whose attack came out too abrupt.
    for (const s of bad) {
      banned.add(`${s.fromBeat}:${s.toBeat}`);
      if (round >= 1) bannedTargets.add(s.toBeat);
    }
    await new Promise((r) => setImmediate(r));
  }
  progress('arranging', 1);
  // The loop leaves only right after rendering and measuring the arrangement it keeps.
  if (!measured) throw new Error('internal: the remix was never rendered');

  // The unaimed remix (same search, no accent rewards) is the yardstick for the landing rates.
  const u0 = performance.now();
  // The same candidates as the last round (its bans and flux share), not computed again.
  const unaimed = arrange(ta, jumps!, { ...searchOpts, aim: 0, gridSec: UNAIMED_GRID_SEC });
  const baselineMs = performance.now() - u0;
  const downbeatTimes = Float64Array.from(ta.barStarts, (b) => ta.beats[b]!);
  const cuts = plan.cuts.map((c) => c.timeSec).filter((t) => t > 0.05 && t < D - 0.05);
  const rates = (a: Arrangement) => landingRates(cuts, eventsInOutput(a, downbeatTimes, D), eventsInOutput(a, ta.strongOnsets, D));
  const stereo = measured.r.stereo;
  progress('rendering', 1);

  const m1 = performance.now();
  const summary: RemixSummary = {
    music: o.music,
    trackSec: ta.durationSec,
    tempoBpm: ta.tempoBpm,
    beatsPerBar: ta.beatsPerBar,
    bars: ta.barStarts.length,
    sections: ta.sectionStart.reduce((s, v) => s + v, 0),
    tempo: arrangement.segments.map((g) => ({ outStartSec: g.outStartSec, changePercent: (1 / g.lengthFactor - 1) * 100 })),
    stretchEngines: [...engines],
    ending: arrangement.ending,
    fadeSec: measured.r.fadeSec,
    analysisCached,
    seams: arrangement.seams.map((s, i) => ({ outSec: s.outSec, fromSrcSec: s.fromSrcSec, toSrcSec: s.toSrcSec, similarity: s.similarity, flux: measured.flux[i]! })),
    beatFluxP95: ta.beatFluxP95,
    cuts: { aimed: rates(arrangement), unaimed: rates(unaimed) },
    timings: {
      analysisSec: (t1 - t0) / 1000, arrangingSec: arrangingMs / 1000, renderingSec: renderingMs / 1000,
      masteringSec: 0, unaimedBaselineSec: baselineMs / 1000, totalSec: (m1 - t0 - baselineMs) / 1000,
    },
    warnings: [],
  };
  const abrupt = summary.seams.filter((x) => x.flux > ta.beatFluxP95);
  if (abrupt.length) {
    summary.warnings.push(`${abrupt.length} seam${abrupt.length === 1 ? '' : 's'} (at ${abrupt.map((x) => `${x.outSec.toFixed(2)} s`).join(', ')}) came out more abrupt than the track's own beats; no smoother jump fitted.`);
  }
  const fadeFrames = arrangement.ending === 'fade' ? Math.min(measured.r.frames, Math.round(measured.r.fadeSec * track.sampleRate)) : 0;
  return { stereo, sampleRate: track.sampleRate, fadeFrames, summary, arrangement };
}

/** The remix mastered to a WAV (the shared mastering every generator's audio goes through). */
export async function generateRemix(plan: RhythmPlan, o: RemixOptions): Promise<RemixResult> {
  const a = await remixAudio(plan, o);
  const m0 = performance.now();
  const render = await masterStereo(memorySource(a.stereo), {
    out: o.out, sampleRate: a.sampleRate, fadeFrames: a.fadeFrames, signal: o.signal, onProgress: (p) => o.onProgress?.(p),
  });
  const masteringSec = (performance.now() - m0) / 1000;
  const timings = { ...a.summary.timings, masteringSec, totalSec: a.summary.timings.totalSec + masteringSec };
  return { render: { ...render, warnings: [...render.warnings, ...a.summary.warnings] }, summary: { ...a.summary, timings }, arrangement: a.arrangement };
}
