import { probe } from '../media/index.ts';
import { clipFeatures } from '../models/clip-features.ts';
import { planOdfToModelScale, predictClipRhythm } from '../models/clip-rhythm.ts';
import { decodeLatents, ditColourDim, ditDenoiser } from '../models/diffv2m-models.ts';
import { ModelPack, type SessionInfo } from '../models/model-pack.ts';
import type { RuntimeOptions } from '../models/session-options.ts';
import type { RhythmPlan } from '../rhythm/index.ts';
import { analyzeVideo, type VideoAnalysis } from '../video/index.ts';
import { GaussianNoise } from './gaussian-noise.ts';
import { masterStereo, memorySource, type MasterResult } from '../mastering/index.ts';
import { DEFAULT_CFG_SCALE, sampleVddim } from './sampler.ts';
import { planWindows, stitchWindows, type GenerationWindow } from './windows.ts';

export type DiffV2mStage = 'analysis' | 'loading' | 'clip-features' | 'rhythm' | 'sampling' | 'decoding' | 'mastering';

export interface DiffV2mOptions {
  /** The video the plan belongs to (its frames give the CLIP features). */
  video: string;
  /** A model pack folder, or an open pack (kept open for the caller). */
  pack: string | ModelPack;
  out: string;
  /** The stored analysis of the video (scene vector, visual beats, colour); analysed here only without one. */
  analysis?: Omit<VideoAnalysis, 'filmstrip' | 'waveform'>;
  seed?: number;
  /** Default: the pack's sampler default (250). */
  steps?: number;
  /** Default: the pack's (3.0). */
  cfgScale?: number;
  /** Crossfade between windows, seconds (default: 2 s for 30 s windows, scaled for shorter ones). */
  overlapSec?: number;
  runtime?: RuntimeOptions;
  signal?: AbortSignal;
  onProgress?: (p: { stage: DiffV2mStage; fraction: number; window?: number; windows?: number }) => void;
  onWarning?: (message: string) => void;
}

/** The generator's unmastered output and what ran. */
export interface DiffV2mAudio extends Omit<DiffV2mResult, 'path' | 'render'> {
  /** Interleaved stereo, exactly the plan's duration. */
  stereo: Float32Array;
  sampleRate: number;
}

export interface DiffV2mResult {
  path: string;
  /** The pack's folder and name. */
  pack: string;
  packName: string;
  /** Provider, precision and file of each model session that ran. */
  sessions: SessionInfo[];
  windows: GenerationWindow[];
  steps: number;
  cfgScale: number;
  seed: number;
  render: Omit<MasterResult, 'path'>;
  timings: { featuresSec: number; samplingSec: number; decodeSec: number; totalSec: number };
  warnings: string[];
}

/** Decoded window audio (planar [2, n]) → interleaved frames covering exactly `frames`. */
export function fitWindowAudio(planar: Float32Array, samples: number, channels: number, frames: number): { audio: Float32Array; stretched: boolean } {
  const out = new Float32Array(frames * 2);
  const stretched = Math.abs(samples - frames) > 0.01 * frames;
  const right = channels > 1 ? samples : 0;
  for (let i = 0; i < frames; i++) {
    if (!stretched) {
      // The trained length (e.g. 645·2048 samples for 30 s) is within 1 % of the window: trim or zero-pad.
      if (i >= samples) break;
      out[2 * i] = planar[i]!;
      out[2 * i + 1] = planar[right + i]!;
    } else {
      const pos = (i * (samples - 1)) / Math.max(1, frames - 1);
      const k = Math.floor(pos), fr = pos - k, k1 = Math.min(samples - 1, k + 1);
      out[2 * i] = planar[k]! * (1 - fr) + planar[k1]! * fr;
      out[2 * i + 1] = planar[right + k]! * (1 - fr) + planar[right + k1]! * fr;
    }
  }
  return { audio: out, stretched };
}

/** One colour-histogram row per second (the first analysed frame of that second; gaps repeat the last). */
export function colourPerSecond(h: NonNullable<VideoAnalysis['colourHistograms']>, seconds: number, dim: number): Float32Array {
  if (h.dim !== dim) throw new Error(`The analysis has ${h.dim}-d colour histograms; the pack's denoiser takes ${dim}-d.`);
  const out = new Float32Array(seconds * dim);
  const filled = new Uint8Array(seconds);
  for (let r = 0; r < h.times.length; r++) {
    const s = Math.floor(h.times[r]! + 1e-6);
    if (s < 0 || s >= seconds || filled[s]) continue;
    out.set(h.data.subarray(r * dim, (r + 1) * dim), s * dim);
    filled[s] = 1;
  }
  for (let s = 1; s < seconds; s++) if (!filled[s] && filled[s - 1]) {
    out.copyWithin(s * dim, (s - 1) * dim, s * dim);
    filled[s] = 1;
  }
  return out;
}

/**
 * The Diff-V2M neural generator: plan + video → per-second CLIP features → rhythm (the plan's
 * ODF on the predictor's scale) → v-DDIM with CFG per window of the model's trained length →
 * VAE decode → crossfaded windows: the unmastered audio (the pipeline masters it).
 */
export async function diffV2mAudio(plan: RhythmPlan, o: Omit<DiffV2mOptions, 'out'>): Promise<DiffV2mAudio> {
  const t0 = performance.now();
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    o.onWarning?.(w);
  };
  const report = o.onProgress ?? (() => undefined);
  const ownPack = typeof o.pack === 'string';
  const pack = typeof o.pack === 'string' ? ModelPack.open(o.pack, o.runtime) : o.pack;
  try {
    const m = pack.manifest;
    const steps = o.steps ?? m.sampler.steps;
    const cfgScale = o.cfgScale ?? m.sampler.cfg_scale ?? DEFAULT_CFG_SCALE;
    const seed = o.seed ?? 42;
    const S = m.conditioning.max_seconds;
    const sr = m.audio.sample_rate;
    const overlapSec = o.overlapSec ?? Math.max(0.5, Math.min(S / 2, (2 * S) / 30));

    report({ stage: 'loading', fraction: 0 });
    for (const [k, name] of (['clip_image', 'rhythm_predictor', 'dit', 'vae_decoder'] as const).entries()) {
      await pack.load(name, o.signal);
      report({ stage: 'loading', fraction: (k + 1) / 4 });
    }
    const info = await probe(o.video, { signal: o.signal });
    const colourDim = ditColourDim(pack);
    const needsHistograms = colourDim !== null && !o.analysis?.colourHistograms;
    const analysis = o.analysis && !needsHistograms ? o.analysis : (await analyzeVideo(o.video, {
      signal: o.signal, info, filmstrip: false, histograms: colourDim !== null, waveform: false,
      onProgress: (p) => report({ stage: 'analysis', fraction: p.fraction }),
    }));
    const seconds = plan.odfLR.length || Math.ceil(plan.durationSec);
    const tf = performance.now();
    const feats = await clipFeatures(pack, o.video, { seconds, info, signal: o.signal, onProgress: (p) => report(p) });
    report({ stage: 'rhythm', fraction: 0 });
    const raw = await predictClipRhythm(pack, feats, { sceneCut: analysis.sceneVector, pseudoBeat: analysis.visualBeatVector }, o.signal);
    const rhythm = planOdfToModelScale(plan.odfLR, raw);
    report({ stage: 'rhythm', fraction: 1 });
    const colour = colourDim !== null ? colourPerSecond(analysis.colourHistograms!, feats.seconds, colourDim) : null;
    const featuresSec = (performance.now() - tf) / 1000;

    const windows = planWindows(plan.durationSec, { windowSec: S, overlapSec, cuts: plan.cuts.map((c) => c.timeSec) });
    const ch = m.audio.latent_channels, L = m.audio.latent_length, d = feats.dim;
    const noise = new GaussianNoise(seed);
    const parts: Float32Array[] = [];
    let samplingMs = 0, decodeMs = 0, stretchedOnce = false;
    for (const [k, w] of windows.entries()) {
      const first = w.startSec, len = w.endSec - w.startSec, rows = Math.min(S, Math.ceil(len - 1e-9));
      const clip = new Float32Array(S * d), rhy = new Float32Array(S), mask = new Float32Array(S);
      const col = colourDim !== null ? new Float32Array(S * colourDim) : undefined;
      for (let r = 0; r < rows; r++) {
        const s = Math.min(feats.seconds - 1, first + r);
        clip.set(feats.data.subarray(s * d, (s + 1) * d), r * d);
        if (col && colour) col.set(colour.subarray(s * colourDim!, (s + 1) * colourDim!), r * colourDim!);
        rhy[r] = rhythm[Math.min(rhythm.length - 1, first + r)] ?? 0;
        mask[r] = 1;
      }
      // Each window is generated as a piece of its own: start 0, total = its length.
      const denoise = ditDenoiser(pack, {
        batch: 1, seconds: S, clipFeatures: clip, rhythm: rhy, featureMask: mask,
        secondsStart: Float32Array.of(0), secondsTotal: Float32Array.of(Math.min(S, len)), classLabel: [2], colour: col,
      }, o.signal);
      const ts = performance.now();
      const latent = await sampleVddim(denoise, {
        noise: noise.fill(new Float32Array(ch * L)), batch: 1, steps, cfgScale, sigmaMax: m.sampler.sigma_max, signal: o.signal,
        onProgress: (p) => report({ stage: 'sampling', fraction: (k + p.fraction) / windows.length, window: k + 1, windows: windows.length }),
      });
      const td = performance.now();
      samplingMs += td - ts;
      const dec = await decodeLatents(pack, latent, 1, o.signal);
      decodeMs += performance.now() - td;
      report({ stage: 'decoding', fraction: (k + 1) / windows.length });
      const fit = fitWindowAudio(dec.audio, dec.samples, m.audio.channels, Math.round(len * sr));
      if (fit.stretched && !stretchedOnce) {
        stretchedOnce = true;
        warn(`The pack's decoded length (${(dec.samples / sr).toFixed(3)} s) differs from its ${S} s conditioning window; each window's audio was time-stretched to fit (expected only for tiny test packs).`);
      }
      parts.push(fit.audio);
    }
    const totalFrames = Math.round(plan.durationSec * sr);
    const mix = stitchWindows(windows, parts, { sampleRate: sr, channels: 2, overlapSec, totalFrames });
    if (windows.length > 1) warn(`The music was generated in ${windows.length} overlapping ${S} s windows; key and tempo are not carried across the crossfades.`);
    return {
      stereo: mix, sampleRate: sr, pack: pack.dir, packName: pack.name, sessions: pack.sessions(), windows, steps, cfgScale, seed,
      timings: { featuresSec, samplingSec: samplingMs / 1000, decodeSec: decodeMs / 1000, totalSec: (performance.now() - t0) / 1000 },
      warnings,
    };
  } finally {
    if (ownPack) await pack.close();
  }
}

/** Diff-V2M to a mastered WAV (the shared mastering every generator's audio goes through). */
export async function generateDiffV2m(plan: RhythmPlan, o: DiffV2mOptions): Promise<DiffV2mResult> {
  const { stereo, sampleRate, ...a } = await diffV2mAudio(plan, o);
  const render = await masterStereo(memorySource(stereo), { out: o.out, sampleRate, signal: o.signal, onProgress: (p) => o.onProgress?.(p) });
  for (const w of render.warnings) {
    a.warnings.push(w);
    o.onWarning?.(w);
  }
  const { path, ...rest } = render;
  return { ...a, path, render: rest };
}
