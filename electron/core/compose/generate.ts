import type { RhythmPlan } from '../rhythm/index.ts';
import { runGeneration } from '../generation/run-generation.ts';
import type { Composition } from './arrangement.ts';
import type { ComposeOptions } from './compose.ts';
import { composerGenerator, makeComposer, summarize, type CompositionSummary } from './composer-generator.ts';
import type { RenderResult } from './render.ts';
import type { PartName } from './arrangement.ts';

export { summarize, type CompositionSummary } from './composer-generator.ts';

export interface GenerateOptions extends ComposeOptions {
  /** The mix WAV. */
  out: string;
  /** Also write the Standard MIDI File here. */
  midiOut?: string | null;
  stems?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { stage: 'composing' | 'synthesis' | 'mastering'; fraction: number }) => void;
}

export interface GenerateResult {
  composition: Composition;
  summary: CompositionSummary;
  render: RenderResult;
  midiPath: string | null;
}

/**
 * The composer through the one generation pipeline, keeping the whole composition for callers
 * that print or test it: plan → composition → SMF → synthesis → mastering → WAV (stems, MIDI).
 */
export async function generateMusic(plan: RhythmPlan, o: GenerateOptions): Promise<GenerateResult> {
  o.signal?.throwIfAborted();
  const params = composerGenerator.parseParams({ style: o.style, tempo: o.tempo ?? null, intensity: o.intensity, stems: o.stems === true });
  const seed = o.seed ?? 1;
  let composition: Composition | null = null;
  const generator = makeComposer((c) => (composition = c));
  const r = await runGeneration(generator, params, {
    plan, video: null, analysis: null, seed, signal: o.signal,
    onProgress: (p) => { if (p.stage !== 'checking') o.onProgress?.({ stage: p.stage as 'composing' | 'synthesis' | 'mastering', fraction: p.fraction }); },
  }, { mix: o.out, stems: o.stems === true, midi: o.midiOut ?? null, check: false });
  const c = composition as Composition | null;
  if (!c) throw new Error('The composer produced no composition.');
  return { composition: c, summary: summarize(c), render: { ...r.master, stems: r.master.stems as Record<PartName, string> | null }, midiPath: r.midiPath };
}
