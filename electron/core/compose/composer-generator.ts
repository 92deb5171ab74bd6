import type { GeneratedMusic, MusicGenerator } from '../generation/music-generator.ts';
import type { RhythmPlan } from '../rhythm/index.ts';
import type { Composition } from './arrangement.ts';
import { compose } from './compose.ts';
import { synthesizeMidi } from './render.ts';
import { compositionToMidi } from './smf.ts';
import { parseComposerParams, type ComposerParams } from './composer-params.ts';
import { keyName } from './theory.ts';

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

/** Plan → composition → Standard MIDI File bytes. */
export function composeMidi(plan: RhythmPlan, seed: number, p: ComposerParams): { composition: Composition; midi: Uint8Array } {
  const composition = compose(plan, { seed, ...(p.style ? { style: p.style } : {}), ...(p.tempo ? { tempo: p.tempo } : {}), ...(p.intensity !== undefined ? { intensity: p.intensity } : {}) });
  return { composition, midi: compositionToMidi(composition) };
}

/**
 * The built-in composer: plan → composition → SMF → SoundFont synthesis (no weights needed).
 * `onComposed` hands the whole composition to a caller that prints or tests it.
 */
export function makeComposer(onComposed?: (c: Composition) => void): MusicGenerator<ComposerParams> {
  return {
    name: 'composer',
    stages: [{ name: 'composing', weight: 0.06 }, { name: 'synthesis', weight: 0.94 }],
    parseParams: parseComposerParams,
    needsHistograms: () => false,
    async generate(req, p): Promise<GeneratedMusic> {
      req.progress('composing', 0);
      const { composition, midi } = composeMidi(req.plan, req.seed, p);
      onComposed?.(composition);
      req.progress('composing', 1);
      const synth = await synthesizeMidi(midi, {
        durationSec: req.plan.durationSec, fadeOutSec: composition.fadeOutSec, stems: p.stems === true, signal: req.signal,
        onProgress: (x) => req.progress(x.stage, x.fraction),
      });
      const summary = summarize(composition);
      const bpm = [...new Set(summary.tempo.map((t) => t.bpm.toFixed(0)))].join('→');
      return {
        sampleRate: synth.sampleRate, mix: synth.mix, stems: synth.stems, fadeFrames: synth.fadeFrames, midi,
        details: { composition: summary }, label: `${summary.style}, ${summary.key}, ${bpm} BPM, seed ${summary.seed}`,
        dispose: synth.dispose,
      };
    },
  };
}

export const composerGenerator = makeComposer();
export type { ComposerParams } from './composer-params.ts';
