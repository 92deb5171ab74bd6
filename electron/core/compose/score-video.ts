import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDir } from '../scratch/index.ts';
import { measureLoudness, muxMusic, probe, type Ebur128Summary, type MixMode } from '../media/index.ts';
import { heuristicPlanner, type RhythmPlan, type RhythmPlanner } from '../rhythm/index.ts';
import { analyzeVideo } from '../video/index.ts';
import { generateRemix, type RemixStage, type RemixSummary } from '../remix/index.ts';
import { generateMusic, writeFileAtomic, type CompositionSummary } from './generate.ts';
import { checkWritableDestination, type RenderResult } from './render.ts';
import { musicSyncReport, type MusicSyncReport } from './sync-check.ts';
import type { StyleName } from './styles.ts';

export type ScoreStage = 'analysis' | 'planning' | 'composing' | 'synthesis' | 'mastering' | 'muxing' | 'measuring' | RemixStage;

export interface ScoreOptions {
  out: string;
  /** Also keep the music WAV here (e.g. beside a timeline sent back to the editor). */
  musicOut?: string;
  style?: StyleName | string;
  seed?: number;
  tempo?: number | null;
  mix?: MixMode;
  /** Measure the sync report and ffmpeg's loudness (adds a few seconds). */
  report?: boolean;
  planner?: RhythmPlanner;
  /** Remix this track (the user's own music) to the cut instead of composing. */
  music?: string;
  /** Remix: the largest tempo nudge (fraction, ≤ 0.06). */
  maxStretch?: number;
  signal?: AbortSignal;
  onProgress?: (p: { stage: ScoreStage; fraction: number }) => void;
  onWarning?: (message: string) => void;
}

export interface ScoreResult {
  output: string;
  mix: MixMode;
  plan: RhythmPlan;
  /** The composer's choices; null when the music is a remix. */
  composition: CompositionSummary | null;
  /** The remix's seams, tempo nudge and cut landing rates; null when the composer made the music. */
  remix: RemixSummary | null;
  render: Omit<RenderResult, 'path' | 'stems'>;
  sync: MusicSyncReport | null;
  /** ffmpeg's ebur128 measurement of the rendered music (the check on our own meter). */
  ffmpegLoudness: Ebur128Summary | null;
  warnings: string[];
}

/** The product's main job: video → analysis → rhythm plan → music → scored MP4 (+ measurements). */
export async function scoreVideo(video: string, o: ScoreOptions): Promise<ScoreResult> {
  checkWritableDestination(o.out);
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    o.onWarning?.(w);
  };
  const info = await probe(video, { signal: o.signal });
  const analysis = await analyzeVideo(video, {
    signal: o.signal, info, filmstrip: false, histograms: false, waveform: false,
    onProgress: (p) => o.onProgress?.({ stage: 'analysis', fraction: p.fraction }),
    onWarning: warn,
  });
  o.onProgress?.({ stage: 'planning', fraction: 0 });
  const plan = await (o.planner ?? heuristicPlanner).plan(analysis, { signal: o.signal });
  const tmp = makeScratchDir('score-');
  try {
    const music = path.join(tmp, 'music.wav');
    let composition: CompositionSummary | null = null, remix: RemixSummary | null = null;
    let render: Omit<RenderResult, 'path' | 'stems'>;
    if (o.music) {
      const r = await generateRemix(plan, { music: o.music, out: music, maxStretch: o.maxStretch, signal: o.signal, onProgress: (p) => o.onProgress?.(p) });
      const { path: _p, ...rest } = r.render;
      render = { ...rest, masteringPasses: 1 };
      remix = r.summary;
    } else {
      const gen = await generateMusic(plan, {
        out: music, style: o.style, seed: o.seed, tempo: o.tempo, signal: o.signal,
        onProgress: (p) => o.onProgress?.(p),
      });
      const { path: _p, stems: _s, ...rest } = gen.render;
      render = rest;
      composition = gen.summary;
    }
    for (const w of render.warnings) warn(w);
    const muxed = await muxMusic({
      video, music, out: o.out, mode: o.mix ?? 'replace', info, signal: o.signal,
      onProgress: (p) => o.onProgress?.({ stage: 'muxing', fraction: p.fraction ?? 0 }),
    });
    for (const w of muxed.warnings) warn(w);
    if (o.musicOut) writeFileAtomic(o.musicOut, readFileSync(music));
    let sync: MusicSyncReport | null = null;
    let ffmpegLoudness: Ebur128Summary | null = null;
    if (o.report) {
      o.onProgress?.({ stage: 'measuring', fraction: 0 });
      sync = await musicSyncReport(music, plan.accents, { signal: o.signal });
      ffmpegLoudness = await measureLoudness(music, { signal: o.signal });
      o.onProgress?.({ stage: 'measuring', fraction: 1 });
    }
    return { output: muxed.path, mix: muxed.mode, plan, composition, remix, render, sync, ffmpegLoudness, warnings };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
