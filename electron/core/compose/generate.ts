import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { RhythmPlan } from '../rhythm/index.ts';
import type { Composition } from './arrangement.ts';
import { compose, type ComposeOptions } from './compose.ts';
import { renderMidi, checkWritableDestination, type RenderResult } from './render.ts';
import { compositionToMidi } from './smf.ts';
import { keyName } from './theory.ts';
import { tempPathFor, writeError } from './wav-writer.ts';

export interface GenerateOptions extends ComposeOptions {
  /** The mix WAV. */
  out: string;
  /** Also write the Standard MIDI File here. */
  midiOut?: string | null;
  stems?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { stage: 'composing' | 'synthesis' | 'mastering'; fraction: number }) => void;
}

/** A readable summary of what the composer chose. */
export interface CompositionSummary {
  style: string;
  key: string;
  seed: number;
  tempo: { startSec: number; endSec: number; bpm: number }[];
  sections: number;
  bars: number;
  notes: number;
  strongAccents: number;
  fadeOutSec: number;
}

export interface GenerateResult {
  composition: Composition;
  summary: CompositionSummary;
  render: RenderResult;
  midiPath: string | null;
}

export function summarize(c: Composition): CompositionSummary {
  return {
    style: c.style.name,
    key: keyName(c.key),
    seed: c.seed,
    tempo: c.tempoSegments.map((s) => ({ startSec: s.startSec, endSec: s.endSec, bpm: Math.round(s.bpm * 100) / 100 })),
    sections: c.sectionStarts.length,
    bars: c.bars.length,
    notes: c.notes.length,
    strongAccents: c.accentTicks.length,
    fadeOutSec: c.fadeOutSec,
  };
}

/** Writes bytes under a temporary name and renames them into place. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}

/** Plan → composition → SMF → rendered, mastered WAV (and stems, and the MIDI file when asked). */
export async function generateMusic(plan: RhythmPlan, o: GenerateOptions): Promise<GenerateResult> {
  checkWritableDestination(o.out);
  if (o.midiOut) checkWritableDestination(o.midiOut);
  o.signal?.throwIfAborted();
  o.onProgress?.({ stage: 'composing', fraction: 0 });
  const composition = compose(plan, o);
  const midi = compositionToMidi(composition);
  o.onProgress?.({ stage: 'composing', fraction: 1 });
  const render = await renderMidi(midi, {
    out: o.out, stems: o.stems, durationSec: plan.durationSec, fadeOutSec: composition.fadeOutSec,
    signal: o.signal, onProgress: o.onProgress,
  });
  if (o.midiOut) writeFileAtomic(o.midiOut, midi);
  return { composition, summary: summarize(composition), render, midiPath: o.midiOut ?? null };
}
