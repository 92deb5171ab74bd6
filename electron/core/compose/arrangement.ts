import type { Chord, Key } from './theory.ts';
import type { StylePreset } from './styles.ts';
import type { TempoMap } from './tempo-map.ts';
import type { TempoSegment } from './tempo-fit.ts';

/** One note of the arrangement, in SMF ticks. */
export interface NoteEvent {
  channel: number;
  pitch: number;
  velocity: number;
  tick: number;
  durationTicks: number;
}

/** A bar of the grid (the last one of a segment may be shorter; its beats may be fractional). */
export interface Bar {
  index: number;
  /** First tick of the bar. */
  tick: number;
  /** Beats in the bar (PPQ ticks each). */
  beats: number;
  /** Tick where the bar ends (the next bar's first tick, or the clip's end). */
  endTick: number;
  section: number;
  barInSection: number;
  /** Phrases are up to 8 bars; counted across the whole piece. */
  phrase: number;
  barInPhrase: number;
  /** 0..1 from odfLR, motion and arousal. */
  energy: number;
  /** Density level 0 (pad only) .. 3 (everything). */
  level: number;
  chord: Chord;
  /** The bar holds the final tonic chord (and everything after it is silence). */
  final: boolean;
}

export type PartName = 'drums' | 'bass' | 'harmony' | 'lead';

/** MIDI channel of each track; the hit channel is part of the harmony stem. */
export const CHANNELS = { harmony: 0, pad: 1, bass: 2, lead: 3, hit: 4, drums: 9 } as const;

/** Which stem each channel belongs to. */
export const STEM_OF_CHANNEL: Record<number, PartName> = { 0: 'harmony', 1: 'harmony', 2: 'bass', 3: 'lead', 4: 'harmony', 9: 'drums' };
export const STEMS: readonly PartName[] = ['drums', 'bass', 'harmony', 'lead'];

export interface Composition {
  style: StylePreset;
  key: Key;
  seed: number;
  durationSec: number;
  /** Clip end in ticks: nothing sounds after it. */
  endTick: number;
  tempoSegments: TempoSegment[];
  tempoMap: TempoMap;
  bars: Bar[];
  /** Section start times (seconds). */
  sectionStarts: number[];
  notes: NoteEvent[];
  /** Channel setup: program (and bank), volume, pan, reverb, chorus. */
  channels: { channel: number; name: string; program: number; bankMSB: number; volume: number; pan: number; reverb: number; chorus: number }[];
  /** Length of the fade that ends exactly at the clip end. */
  fadeOutSec: number;
  /** Tick of every strong accent's planned onset, for checking. */
  accentTicks: { timeSec: number; tick: number; strength: number }[];
}
