import { SpessaSynthProcessor, type BasicSoundBank } from 'spessasynth_core';
import { RawStereoFile } from '../mastering/stereo-source.ts';
import { useFastPlate } from './fast-plate-reverb.ts';
import { SendTaps, type SendChunk } from './send-taps.ts';
import type { TimedMidiEvent } from './smf.ts';

export const RENDER_SAMPLE_RATE = 44100;
/** Frames synthesised per step; memory stays at a few chunks whatever the clip's length. */
export const CHUNK = 8192;
/** The synthesizer's render quantum: events land on exact samples, modulation updates per quantum. */
export const QUANTUM = 256;

export type SampledEvent = TimedMidiEvent & { sample: number };

/** One synthesizer's share of a render: its events, written as raw stereo floats to `file`. */
export interface SynthGroup {
  name: string;
  events: SampledEvent[];
  file: string;
}

class GroupSynth {
  readonly synth: SpessaSynthProcessor;
  private next = 0;

  /** With taps the synthesizer runs no effects: its sends are kept for an effects bus. */
  constructor(private readonly events: readonly SampledEvent[], bank: BasicSoundBank, taps?: SendTaps) {
    this.synth = new SpessaSynthProcessor(RENDER_SAMPLE_RATE, {
      maxBufferSize: QUANTUM, effectsEnabled: true, eventsEnabled: false,
      ...(taps ? { reverbProcessor: taps.reverb, chorusProcessor: taps.chorus, delayProcessor: taps.delay } : {}),
    });
    if (!taps) useFastPlate(this.synth.reverbProcessor);
    this.synth.soundBankManager.addSoundBank(bank, 'main');
  }

  private apply(e: TimedMidiEvent): void {
    const s = this.synth;
    switch (e.kind) {
      case 'noteOn': s.noteOn(e.channel, e.a, e.b); break;
      case 'noteOff': s.noteOff(e.channel, e.a); break;
      case 'controller': s.controllerChange(e.channel, e.a as never, e.b); break;
      case 'program': s.programChange(e.channel, e.a); break;
    }
  }

  /** Renders frames [start, start + left.length) into left/right (which start zeroed). */
  render(start: number, left: Float32Array, right: Float32Array): void {
    const end = start + left.length;
    let pos = start;
    while (pos < end) {
      while (this.next < this.events.length && this.events[this.next]!.sample <= pos) this.apply(this.events[this.next++]!);
      const nextEvent = this.next < this.events.length ? this.events[this.next]!.sample : Infinity;
      const stop = Math.min(end, nextEvent, pos + QUANTUM);
      this.synth.process(left, right, pos - start, stop - pos);
      pos = stop;
    }
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** The fade's gain at frame f: linear, reaching 0 exactly at `frames`. */
export function fadeGain(f: number, frames: number, fadeFrames: number): number {
  return f >= frames - fadeFrames ? (frames - f) / Math.max(1, fadeFrames) : 1;
}

/** Where a dry synthesizer's output goes, chunk by chunk in order: its faded dry frames and its (unfaded) effect sends. */
export interface SendSink {
  (dry: Float32Array, sends: SendChunk, start: number): void;
}

/** Renders `frames` in chunks, faded so the fade ends exactly at `frames`; `take` gets each interleaved chunk (a fresh array). */
async function renderChunks(synth: GroupSynth, frames: number, fadeFrames: number, take: (inter: Float32Array, start: number) => void, onFrames: (n: number) => void, signal?: AbortSignal): Promise<void> {
  const L = new Float32Array(CHUNK), R = new Float32Array(CHUNK);
  for (let start = 0; start < frames; start += CHUNK) {
    signal?.throwIfAborted();
    const n = Math.min(CHUNK, frames - start);
    L.fill(0);
    R.fill(0);
    synth.render(start, L.subarray(0, n), R.subarray(0, n));
    const inter = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const fade = fadeGain(start + i, frames, fadeFrames);
      inter[2 * i] = L[i]! * fade;
      inter[2 * i + 1] = R[i]! * fade;
    }
    take(inter, start);
    onFrames(n);
    if ((start / CHUNK) % 4 === 0) await tick();
  }
}

/**
 * Synthesises groups one after another (each its own synthesizer, effects included) to their
 * raw files, with a linear fade that ends exactly at `frames`. `onFrames` counts frames done.
 */
export async function renderGroups(groups: readonly SynthGroup[], bank: BasicSoundBank, frames: number, fadeFrames: number, onFrames: (n: number) => void, signal?: AbortSignal): Promise<void> {
  for (const g of groups) {
    const out = new RawStereoFile(g.file);
    try {
      await renderChunks(new GroupSynth(g.events, bank), frames, fadeFrames, (inter) => out.append(inter), onFrames, signal);
    } finally {
      out.close();
    }
  }
}

/**
 * One synthesizer rendering dry for an effects bus: each chunk's faded dry frames and its
 * effect sends go to `sink` (no file: the bus writes the mix).
 */
export async function renderDryToBus(events: readonly SampledEvent[], bank: BasicSoundBank, frames: number, fadeFrames: number, sink: SendSink, onFrames: (n: number) => void, signal?: AbortSignal): Promise<void> {
  const taps = new SendTaps(CHUNK);
  await renderChunks(new GroupSynth(events, bank, taps), frames, fadeFrames, (inter, start) => sink(inter, taps.take(inter.length / 2), start), onFrames, signal);
}
