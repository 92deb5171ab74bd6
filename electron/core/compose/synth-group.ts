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

/** Where a synthesizer's effect sends go instead of its own effects (one chunk at a time, in order). */
export interface SendSink {
  (chunk: SendChunk, start: number): void;
}

/**
 * Synthesises groups one after another (each its own synthesizer, effects included) to their
 * raw files, with a linear fade that ends exactly at `frames`. `onFrames` counts frames done.
 * With `sends`, the (one) group renders dry and hands its effect sends, unfaded, to the sink.
 */
export async function renderGroups(groups: readonly SynthGroup[], bank: BasicSoundBank, frames: number, fadeFrames: number, onFrames: (n: number) => void, signal?: AbortSignal, sends?: SendSink): Promise<void> {
  if (sends && groups.length !== 1) throw new RangeError('An effects bus takes the sends of one synthesizer per thread.');
  const L = new Float32Array(CHUNK), R = new Float32Array(CHUNK);
  for (const g of groups) {
    const taps = sends ? new SendTaps(CHUNK) : undefined;
    const synth = new GroupSynth(g.events, bank, taps);
    const out = new RawStereoFile(g.file);
    try {
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
        out.append(inter);
        if (taps) sends!(taps.take(n), start);
        onFrames(n);
        if ((start / CHUNK) % 4 === 0) await tick();
      }
    } finally {
      out.close();
    }
  }
}
