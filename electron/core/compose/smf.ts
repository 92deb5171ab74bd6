import { parseMidi, writeMidi, type MidiEvent } from 'midi-file';
import { CHANNELS, STEM_OF_CHANNEL, type Composition, type PartName } from './arrangement.ts';
import { PPQ, TempoMap, type TempoChange } from './tempo-map.ts';
import type { Key } from './theory.ts';

/** Sharps (+) or flats (−) of the key signature; modal keys use the signature of their notes. */
export function keySignature(k: Key): { key: number; scale: number } {
  // The major key with the same notes (e.g. D dorian → C major): semitones from the mode's tonic to it.
  const offsetToIonian: Record<Key['mode'], number> = { major: 0, minor: 3, dorian: 10, lydian: 7, mixolydian: 5 };
  const ionian = (k.tonic + offsetToIonian[k.mode]) % 12;
  let sf = (ionian * 7) % 12;
  if (sf > 6) sf -= 12;
  return { key: sf, scale: k.mode === 'minor' ? 1 : 0 };
}

type Timed = { tick: number; order: number; event: MidiEvent };

function toTrack(events: Timed[], endTick: number): MidiEvent[] {
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const out: MidiEvent[] = [];
  let last = 0;
  for (const e of events) {
    out.push({ ...e.event, deltaTime: e.tick - last } as MidiEvent);
    last = e.tick;
  }
  out.push({ deltaTime: Math.max(0, endTick - last), meta: true, type: 'endOfTrack' } as MidiEvent);
  return out;
}

/**
 * The composition as a Standard MIDI File, type 1: a conductor track (tempo map, time and key
 * signatures, section markers) and one track per part channel. Same composition → same bytes.
 */
export function compositionToMidi(c: Composition): Uint8Array {
  const conductor: Timed[] = [
    { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'trackName', text: `V2M Studio - ${c.style.name}, seed ${c.seed}` } as MidiEvent },
    { tick: 0, order: 1, event: { deltaTime: 0, meta: true, type: 'keySignature', ...keySignature(c.key) } as MidiEvent },
  ];
  for (const t of c.tempoMap.changes) {
    conductor.push({ tick: t.tick, order: 2, event: { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: t.usPerQuarter } as MidiEvent });
  }
  let tick = 0;
  let lastBpb = -1;
  for (const s of c.tempoSegments) {
    if (s.beatsPerBar !== lastBpb) {
      conductor.push({ tick, order: 3, event: { deltaTime: 0, meta: true, type: 'timeSignature', numerator: s.beatsPerBar, denominator: 4, metronome: 24, thirtyseconds: 8 } as MidiEvent });
      lastBpb = s.beatsPerBar;
    }
    tick += Math.round(s.beats * PPQ);
  }
  c.sectionStarts.forEach((sec, i) => {
    conductor.push({ tick: Math.round(c.tempoMap.tickOfSec(sec)), order: 4, event: { deltaTime: 0, meta: true, type: 'marker', text: `Section ${i + 1}` } as MidiEvent });
  });
  const tracks: MidiEvent[][] = [toTrack(conductor, c.endTick)];
  for (const ch of c.channels) {
    const ev: Timed[] = [
      { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'trackName', text: `${ch.name} (${STEM_OF_CHANNEL[ch.channel]})` } as MidiEvent },
    ];
    const cc = (controllerType: number, value: number, order: number) =>
      ev.push({ tick: 0, order, event: { deltaTime: 0, type: 'controller', channel: ch.channel, controllerType, value } as MidiEvent });
    if (ch.channel !== CHANNELS.drums) cc(0, ch.bankMSB, 1);
    ev.push({ tick: 0, order: 2, event: { deltaTime: 0, type: 'programChange', channel: ch.channel, programNumber: ch.program } as MidiEvent });
    cc(7, ch.volume, 3);
    cc(10, ch.pan, 4);
    cc(91, ch.reverb, 5);
    cc(93, ch.chorus, 6);
    for (const n of c.notes) {
      if (n.channel !== ch.channel) continue;
      ev.push({ tick: n.tick, order: 20, event: { deltaTime: 0, type: 'noteOn', channel: n.channel, noteNumber: n.pitch, velocity: n.velocity } as MidiEvent });
      // Note-offs sort before note-ons at the same tick, so a repeated note is re-struck, not cut.
      ev.push({ tick: n.tick + n.durationTicks, order: 10, event: { deltaTime: 0, type: 'noteOff', channel: n.channel, noteNumber: n.pitch, velocity: 0 } as MidiEvent });
    }
    tracks.push(toTrack(ev, c.endTick));
  }
  return Uint8Array.from(writeMidi({ header: { format: 1, numTracks: tracks.length, ticksPerBeat: PPQ }, tracks }));
}

/** A channel event of a parsed SMF, at its time in seconds. */
export interface TimedMidiEvent {
  sec: number;
  tick: number;
  channel: number;
  kind: 'noteOn' | 'noteOff' | 'controller' | 'program';
  a: number;
  b: number;
  /** Name of the track it came from (stem routing). */
  stem: PartName | null;
}

export interface ParsedSmf {
  tempoMap: TempoMap;
  events: TimedMidiEvent[];
  lastTick: number;
}

const KIND_ORDER = { controller: 0, program: 1, noteOff: 2, noteOn: 3 } as const;

/** Reads an SMF (ours or any type 0/1 file with PPQ timing) into time-ordered channel events. */
export function readSmf(bytes: Uint8Array): ParsedSmf {
  let data;
  try {
    data = parseMidi(bytes);
  } catch (e) {
    throw new Error(`Not a readable MIDI file (${(e as Error).message}).`);
  }
  const ppq = data.header.ticksPerBeat;
  if (!ppq) throw new Error('MIDI files timed in SMPTE frames are not supported; export with ticks per beat.');
  const tempos: TempoChange[] = [];
  const raw: Omit<TimedMidiEvent, 'sec'>[] = [];
  let lastTick = 0;
  for (const track of data.tracks) {
    let tick = 0;
    let stem: PartName | null = null;
    for (const e of track) {
      tick += e.deltaTime;
      const t = Math.round((tick * PPQ) / ppq);
      lastTick = Math.max(lastTick, t);
      switch (e.type) {
        case 'trackName': {
          const m = /\((drums|bass|harmony|lead)\)$/.exec(e.text);
          if (m) stem = m[1] as PartName;
          break;
        }
        case 'setTempo':
          tempos.push({ tick: t, usPerQuarter: e.microsecondsPerBeat });
          break;
        case 'noteOn':
          raw.push({ tick: t, channel: e.channel, kind: e.velocity > 0 ? 'noteOn' : 'noteOff', a: e.noteNumber, b: e.velocity, stem });
          break;
        case 'noteOff':
          raw.push({ tick: t, channel: e.channel, kind: 'noteOff', a: e.noteNumber, b: 0, stem });
          break;
        case 'controller':
          raw.push({ tick: t, channel: e.channel, kind: 'controller', a: e.controllerType, b: e.value, stem });
          break;
        case 'programChange':
          raw.push({ tick: t, channel: e.channel, kind: 'program', a: e.programNumber, b: 0, stem });
          break;
        default:
      }
    }
  }
  tempos.sort((a, b) => a.tick - b.tick);
  const dedup: TempoChange[] = [];
  for (const t of tempos) {
    if (dedup.length && dedup[dedup.length - 1]!.tick === t.tick) dedup[dedup.length - 1] = t;
    else dedup.push(t);
  }
  if (!dedup.length || dedup[0]!.tick !== 0) dedup.unshift({ tick: 0, usPerQuarter: 500000 });
  const tempoMap = new TempoMap(dedup);
  const events = raw
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.tick - y.e.tick || KIND_ORDER[x.e.kind] - KIND_ORDER[y.e.kind] || x.i - y.i)
    .map(({ e }) => ({ ...e, sec: tempoMap.secOfTick(e.tick) }));
  return { tempoMap, events, lastTick };
}
