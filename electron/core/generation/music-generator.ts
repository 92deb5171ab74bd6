import type { GeneratorName } from '../../shared/domain.ts';
import type { StereoSource } from '../mastering/index.ts';
import type { RhythmPlan } from '../rhythm/index.ts';
import type { VideoAnalysis } from '../video/index.ts';

/** The stored analysis a generator may read (no filmstrip or waveform: it never decodes the clip again for them). */
export type StoredAnalysis = Omit<VideoAnalysis, 'filmstrip' | 'waveform'>;

/** What every generator is given: the plan as the user left it, the stored analysis, the clip. */
export interface GenerationRequest {
  plan: RhythmPlan;
  /** The clip (Diff-V2M reads its frames for the CLIP features); null for a plan file alone. */
  video: string | null;
  /** The analysis the app or the CLI already made; null when there is none (a plan file). */
  analysis: StoredAnalysis | null;
  seed: number;
  signal?: AbortSignal;
  /** Progress of the generator's own stages, each 0..1. */
  progress(stage: string, fraction: number): void;
  warn(message: string): void;
}

/** Unmastered audio and what the generator chose; the pipeline masters, writes and checks it. */
export interface GeneratedMusic {
  sampleRate: number;
  /** Interleaved stereo, exactly the plan's duration. */
  mix: StereoSource;
  /** Parts that sum to the mix (the composer's drums, bass, harmony, lead), or none. */
  stems: Array<{ name: string; source: StereoSource }>;
  /** Frames at the end that fade out on purpose (not counted as silence). */
  fadeFrames: number;
  midi: Uint8Array | null;
  /** The generator's choices (style, key, tempo; pack, steps; seams), for the report and the label. */
  details: Record<string, unknown>;
  /** One line that tells this generation apart ("cinematic, D minor, 96 BPM, seed 7"). */
  label: string;
  /** Releases scratch files and sessions. */
  dispose(): Promise<void> | void;
}

/**
 * A way to make music for a plan: the built-in composer, Diff-V2M, a remix of the user's track.
 * Each validates its own parameters (with messages a user can act on) and names its stages.
 */
export interface MusicGenerator<P = Record<string, unknown>> {
  readonly name: GeneratorName;
  /** The generator's stages in order with their share of its time (the pipeline adds mastering and checking). */
  readonly stages: ReadonlyArray<{ name: string; weight: number }>;
  /** Typed, checked parameters from the API's or the CLI's loose ones; throws a clear Error. */
  parseParams(raw: Record<string, unknown>): P;
  /** Whether it needs the colour histograms in the analysis (a second decode is never made for them). */
  needsHistograms(params: P): boolean;
  generate(request: GenerationRequest, params: P): Promise<GeneratedMusic>;
}
