import { rmSync } from 'node:fs';
import path from 'node:path';
import type { GeneratorName } from '../../shared/domain.ts';
import { makeScratchDir } from '../scratch/index.ts';
import { copyFileAtomic } from '../files/atomic-write.ts';
import { checkWritableDestination } from '../files/output-paths.ts';
import { generatorByName } from '../generation/generators.ts';
import { runGeneration } from '../generation/run-generation.ts';
import type { MasterResult } from '../mastering/index.ts';
import { measureLoudness, muxMusic, probe, type Ebur128Summary, type MixMode } from '../media/index.ts';
import type { MusicSyncReport } from '../eval/index.ts';
import { heuristicPlanner, type RhythmPlan, type RhythmPlanner } from '../rhythm/index.ts';
import { analyzeVideo } from '../video/index.ts';
import type { RemixStage, RemixSummary } from '../remix/index.ts';
import type { CompositionSummary } from './composer-generator.ts';
import type { StyleName } from './styles.ts';

export type ScoreStage = 'analysis' | 'planning' | 'composing' | 'synthesis' | 'mastering' | 'checking' | 'muxing' | 'measuring' | RemixStage | string;

export interface ScoreOptions {
  out: string;
  /** Also keep the music WAV here (e.g. beside a timeline sent back to the editor). */
  musicOut?: string;
  /** Default: remix when `music` is given, else the composer. */
  generator?: GeneratorName;
  /** The generator's own parameters (pack, steps, device for Diff-V2M …), checked by it. */
  params?: Record<string, unknown>;
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
  generator: GeneratorName;
  /** One line that tells this music apart (generator, style, key, tempo, seed). */
  label: string;
  /** The composer's choices; null when another generator made the music. */
  composition: CompositionSummary | null;
  /** The remix's seams, tempo nudge and cut landing rates; null unless the music is a remix. */
  remix: RemixSummary | null;
  /** Diff-V2M's pack, providers, steps and timings; null unless it made the music. */
  diffv2m: Record<string, unknown> | null;
  render: Omit<MasterResult, 'path' | 'stems'>;
  sync: MusicSyncReport | null;
  /** ffmpeg's ebur128 measurement of the rendered music (the check on our own meter). */
  ffmpegLoudness: Ebur128Summary | null;
  warnings: string[];
}

/** The product's main job: video → analysis → rhythm plan → any generator through the one pipeline → scored MP4. */
export async function scoreVideo(video: string, o: ScoreOptions): Promise<ScoreResult> {
  checkWritableDestination(o.out);
  const name: GeneratorName = o.generator ?? (o.music ? 'remix' : 'composer');
  const generator = generatorByName(name);
  const params = generator.parseParams({
    ...(name === 'composer' ? { style: o.style, tempo: o.tempo ?? null } : {}),
    ...(name === 'remix' ? { music: o.music, maxStretch: o.maxStretch } : {}),
    ...o.params,
  });
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    o.onWarning?.(w);
  };
  const info = await probe(video, { signal: o.signal });
  const { filmstrip: _f, waveform: _w, ...analysis } = await analyzeVideo(video, {
    signal: o.signal, info, filmstrip: false, histograms: generator.needsHistograms(params), waveform: false,
    onProgress: (p) => o.onProgress?.({ stage: 'analysis', fraction: p.fraction }),
    onWarning: warn,
  });
  o.onProgress?.({ stage: 'planning', fraction: 0 });
  const plan = await (o.planner ?? heuristicPlanner).plan({ ...analysis, filmstrip: null, waveform: null }, { signal: o.signal });
  const tmp = makeScratchDir('score-');
  try {
    const music = path.join(tmp, 'music.wav');
    const g = await runGeneration(generator, params, {
      plan, video, analysis, seed: o.seed ?? 1, signal: o.signal, onWarning: warn,
      onProgress: (p) => o.onProgress?.({ stage: p.stage, fraction: p.fraction }),
    }, { mix: music, check: o.report === true });
    const muxed = await muxMusic({
      video, music, out: o.out, mode: o.mix ?? 'replace', info, signal: o.signal,
      onProgress: (p) => o.onProgress?.({ stage: 'muxing', fraction: p.fraction ?? 0 }),
    });
    for (const w of muxed.warnings) warn(w);
    if (o.musicOut) copyFileAtomic(music, o.musicOut);
    let ffmpegLoudness: Ebur128Summary | null = null;
    if (o.report) {
      o.onProgress?.({ stage: 'measuring', fraction: 0 });
      ffmpegLoudness = await measureLoudness(music, { signal: o.signal });
      o.onProgress?.({ stage: 'measuring', fraction: 1 });
    }
    const { path: _p, stems: _s, ...render } = g.master;
    const d = g.details as { composition?: CompositionSummary; remix?: RemixSummary; diffv2m?: Record<string, unknown> };
    return {
      output: muxed.path, mix: muxed.mode, plan, generator: name, label: g.label,
      composition: d.composition ?? null, remix: d.remix ?? null, diffv2m: d.diffv2m ?? null,
      render, sync: g.sync, ffmpegLoudness, warnings,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
