import type { ChordColour, Mode } from './theory.ts';

export const STYLE_NAMES = ['cinematic', 'electronic', 'acoustic', 'lofi', 'ambient'] as const;
export type StyleName = (typeof STYLE_NAMES)[number];

/** A 16-step (sixteenth-note) pattern per density level 0..3; 'x' strong, 'o' soft, '.' rest. */
export type LevelPatterns = readonly [string, string, string, string];

/** One GM program: bank MSB 0 unless given (all checked against MuseScore_General_Lite). */
export interface Program {
  program: number;
  bankMSB?: number;
}

export interface DrumVoices {
  kick: number;
  snare: number;
  hat: number;
  openHat: number;
  crash: number;
  /** Toms for fills, high to low. */
  toms: readonly number[];
  /** The extra hit layered on visual-beat accents. */
  accent: number;
}

export interface StylePreset {
  name: StyleName;
  /** What it sounds like, for the CLI help and the notes. */
  description: string;
  tempoRange: readonly [number, number];
  /** Mode by mood: positive, neutral, negative valence. */
  modes: { positive: Mode; neutral: Mode; negative: Mode };
  colour: ChordColour;
  /** Bars per chord at low and high energy. */
  barsPerChord: { calm: number; busy: number };
  /** 0.5 = straight sixteenths; 0.58 = lazy swing on the off-sixteenths. */
  swing: number;
  reverb: number;
  chorus: number;
  drumKit: number;
  drums: { kick: LevelPatterns; snare: LevelPatterns; hat: LevelPatterns; openHat: LevelPatterns };
  drumVoices: DrumVoices;
  /** How loud the drums sit (velocity scale 0..1). */
  drumLevel: number;
  bass: { program: Program; pattern: LevelPatterns; octave: number; level: number };
  harmony: { program: Program; rhythm: LevelPatterns; low: number; high: number; level: number; sustain: boolean };
  pad: { program: Program; level: number; fromLevel: number } | null;
  lead: { program: Program; kind: 'motif' | 'arpeggio'; low: number; high: number; level: number; fromLevel: number };
  /** Short chord or drum stab on accents that fall between grid steps. */
  hit: { program: Program; level: number; low: number; high: number };
  /** Alternative lead for dark moods (valence < −0.2). */
  darkLead?: Program;
}

const kit = (o: Partial<DrumVoices> = {}): DrumVoices => ({
  kick: 36, snare: 38, hat: 42, openHat: 46, crash: 49, toms: [50, 48, 47, 45, 43, 41], accent: 39, ...o,
});

/**
 * Five presets; every program and drum kit exists in MuseScore_General_Lite (the test
 * `styles.test.ts` checks each against the bank).
 */
export const STYLES: Record<StyleName, StylePreset> = {
  cinematic: {
    name: 'cinematic',
    description: 'slow strings in long voice-led chords, a French-horn theme that grows from section to section, contrabass pedal, concert bass drum and timpani hits with cymbal crashes on the cuts',
    tempoRange: [70, 110],
    modes: { positive: 'lydian', neutral: 'major', negative: 'minor' },
    colour: 'triad',
    barsPerChord: { calm: 2, busy: 1 },
    swing: 0.5,
    reverb: 90,
    chorus: 10,
    drumKit: 48,
    drums: {
      kick: ['................', 'x...............', 'x.......x.......', 'x.....x.x.......'],
      snare: ['................', '................', '............o...', '....x.......x..o'],
      hat: ['................', '................', '................', 'o.o.o.o.o.o.o.o.'],
      openHat: ['................', '................', '................', '................'],
    },
    drumVoices: kit({ accent: 41, snare: 38 }),
    drumLevel: 0.85,
    bass: { program: { program: 43 }, pattern: ['x...............', 'x...............', 'x.......x.......', 'x.x.x.x.x.x.x.x.'], octave: 2, level: 0.8 },
    harmony: { program: { program: 49 }, rhythm: ['x...............', 'x...............', 'x...............', 'x.......x.......'], low: 52, high: 76, level: 0.75, sustain: true },
    pad: { program: { program: 52 }, level: 0.5, fromLevel: 2 },
    lead: { program: { program: 60 }, kind: 'motif', low: 55, high: 79, level: 0.85, fromLevel: 1 },
    hit: { program: { program: 47 }, level: 1, low: 38, high: 55 },
    darkLead: { program: 42 },
  },
  electronic: {
    name: 'electronic',
    description: 'four-on-the-floor electronic kit with claps and off-beat hats, a pumping synth bass, warm pad with off-beat polysynth chords, and a saw-lead arpeggio that changes shape each section',
    tempoRange: [110, 132],
    modes: { positive: 'major', neutral: 'dorian', negative: 'minor' },
    colour: 'sus2',
    barsPerChord: { calm: 2, busy: 1 },
    swing: 0.5,
    reverb: 50,
    chorus: 30,
    drumKit: 24,
    drums: {
      kick: ['................', 'x.......x.......', 'x...x...x...x...', 'x...x...x...x...'],
      snare: ['................', '............x...', '....x.......x...', '....x.......x...'],
      hat: ['................', '..o...o...o...o.', '..x...x...x...x.', 'oox.oox.oox.oox.'],
      openHat: ['................', '................', '................', '......o.......o.'],
    },
    drumVoices: kit({ snare: 40, accent: 39 }),
    drumLevel: 0.9,
    bass: { program: { program: 38 }, pattern: ['x...............', 'x.......x.......', '..x...x...x...x.', 'x.xxx.xxx.xxx.xx'], octave: 2, level: 0.8 },
    harmony: { program: { program: 89 }, rhythm: ['x...............', 'x...............', 'x...............', 'x.......x.......'], low: 55, high: 76, level: 0.6, sustain: true },
    pad: { program: { program: 90 }, level: 0.55, fromLevel: 2 },
    lead: { program: { program: 81 }, kind: 'arpeggio', low: 60, high: 84, level: 0.6, fromLevel: 1 },
    hit: { program: { program: 90 }, level: 1, low: 55, high: 76 },
    darkLead: { program: 80 },
  },
  acoustic: {
    name: 'acoustic',
    description: 'steel-string guitar strumming voice-led chords, upright bass on root and fifth, a brush kit, and a flute tune (clarinet when the picture is dark) that is varied each section',
    tempoRange: [80, 120],
    modes: { positive: 'major', neutral: 'mixolydian', negative: 'minor' },
    colour: 'add9',
    barsPerChord: { calm: 2, busy: 1 },
    swing: 0.5,
    reverb: 40,
    chorus: 0,
    drumKit: 40,
    drums: {
      kick: ['................', 'x.......x.......', 'x.......x.......', 'x.....x.x.......'],
      snare: ['................', '....o.......o...', '....x.......x...', '....x.......x..o'],
      hat: ['................', 'o...o...o...o...', 'x.o.x.o.x.o.x.o.', 'x.o.x.o.x.o.x.oo'],
      openHat: ['................', '................', '................', '................'],
    },
    drumVoices: kit({ accent: 37 }),
    drumLevel: 0.8,
    bass: { program: { program: 32 }, pattern: ['x...............', 'x.......x.......', 'x.......x.......', 'x.....x.x...x...'], octave: 2, level: 0.85 },
    harmony: { program: { program: 25 }, rhythm: ['x.......x.......', 'x.....x...x.x...', 'x..x..x.x..x..x.', 'x.xx.xx.x.xx.xx.'], low: 52, high: 72, level: 0.7, sustain: false },
    pad: null,
    lead: { program: { program: 73 }, kind: 'motif', low: 62, high: 86, level: 0.75, fromLevel: 1 },
    hit: { program: { program: 0 }, level: 0.95, low: 48, high: 72 },
    darkLead: { program: 71 },
  },
  lofi: {
    name: 'lofi',
    description: 'lo-fi hip-hop: lazy swung jazz-kit beat, Rhodes-style electric piano in seventh chords, fingered bass, and a sparse vibraphone motif',
    tempoRange: [70, 92],
    modes: { positive: 'major', neutral: 'dorian', negative: 'minor' },
    colour: 'seventh',
    barsPerChord: { calm: 1, busy: 1 },
    swing: 0.6,
    reverb: 45,
    chorus: 20,
    drumKit: 32,
    drums: {
      kick: ['................', 'x.........x.....', 'x......x..x.....', 'x......x..x...x.'],
      snare: ['................', '....x.......x...', '....x.......x...', '....x.......x..o'],
      hat: ['................', 'x.o.x.o.x.o.x.o.', 'x.o.x.o.x.o.x.o.', 'xoxoxoxoxoxoxoxo'],
      openHat: ['................', '................', '..............o.', '..............o.'],
    },
    drumVoices: kit({ accent: 37 }),
    drumLevel: 0.85,
    bass: { program: { program: 33 }, pattern: ['x...............', 'x.........x.....', 'x......x..x.....', 'x......x..x...x.'], octave: 2, level: 0.85 },
    harmony: { program: { program: 4 }, rhythm: ['x...............', 'x...............', 'x.........x.....', 'x.....x...x.....'], low: 53, high: 74, level: 0.7, sustain: false },
    pad: null,
    lead: { program: { program: 11 }, kind: 'motif', low: 62, high: 84, level: 0.65, fromLevel: 1 },
    hit: { program: { program: 4 }, level: 0.95, low: 53, high: 74 },
  },
  ambient: {
    name: 'ambient',
    description: 'slow halo and space-voice pads changing every two bars, a fretless bass that only moves with the harmony, celesta arpeggios drifting above, soft room-kit pulses only where the picture moves',
    tempoRange: [60, 84],
    modes: { positive: 'lydian', neutral: 'major', negative: 'dorian' },
    colour: 'add9',
    barsPerChord: { calm: 2, busy: 2 },
    swing: 0.5,
    reverb: 127,
    chorus: 40,
    drumKit: 8,
    drums: {
      kick: ['................', '................', 'x...............', 'x.......x.......'],
      snare: ['................', '................', '................', '............o...'],
      hat: ['................', '................', '..o...o...o...o.', 'o.o.o.o.o.o.o.o.'],
      openHat: ['................', '................', '................', '................'],
    },
    drumVoices: kit({ hat: 70, accent: 75 }),
    drumLevel: 0.6,
    bass: { program: { program: 35 }, pattern: ['x...............', 'x...............', 'x...............', 'x.......x.......'], octave: 2, level: 0.7 },
    harmony: { program: { program: 94 }, rhythm: ['x...............', 'x...............', 'x...............', 'x...............'], low: 55, high: 79, level: 0.65, sustain: true },
    pad: { program: { program: 91 }, level: 0.45, fromLevel: 1 },
    lead: { program: { program: 8 }, kind: 'arpeggio', low: 67, high: 91, level: 0.55, fromLevel: 0 },
    hit: { program: { program: 46 }, level: 1, low: 48, high: 79 },
  },
};

export function styleByName(name: string): StylePreset {
  const key = name.toLowerCase().replace(/[^a-z]/g, '') === 'lofihiphop' ? 'lofi' : name.toLowerCase().replace(/[^a-z]/g, '');
  const s = (STYLES as Record<string, StylePreset>)[key];
  if (!s) throw new RangeError(`Unknown style "${name}". Choose one of: ${STYLE_NAMES.join(', ')}.`);
  return s;
}

/** The style a mood suggests when the user chose none. */
export function styleForMood(valence: number, arousal: number): StyleName {
  if (arousal > 0.35) return 'electronic';
  if (arousal < -0.35) return valence < 0 ? 'cinematic' : 'ambient';
  if (valence < -0.2) return 'cinematic';
  return valence > 0.2 ? 'acoustic' : 'lofi';
}
