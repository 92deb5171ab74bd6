import { rmSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDir } from '../scratch/index.ts';
import { SpessaSynthProcessor, type BasicSoundBank } from 'spessasynth_core';
import { checkWritableDestination, stemPath } from '../files/output-paths.ts';
import { masterStereo, RawStereoFile, type MasterResult } from '../mastering/index.ts';
import { STEMS, STEM_OF_CHANNEL, type PartName } from './arrangement.ts';
import { readSmf, type TimedMidiEvent } from './smf.ts';
import { loadSoundFont } from './soundfont.ts';

export const RENDER_SAMPLE_RATE = 44100;
/** Frames synthesised per step; memory stays at a few chunks whatever the clip's length. */
const CHUNK = 8192;
/** The synthesizer's render quantum: events land on exact samples, modulation updates per quantum. */
const QUANTUM = 256;

export interface RenderOptions {
  /** The mix WAV. */
  out: string;
  /** Also write one WAV per part (drums, bass, harmony, lead) next to `out`: name.drums.wav … */
  stems?: boolean;
  durationSec: number;
  /** Linear fade that ends exactly at durationSec. */
  fadeOutSec?: number;
  targetLufs?: number;
  truePeakCeilingDbtp?: number;
  soundFont?: string;
  signal?: AbortSignal;
  onProgress?: (p: { stage: 'synthesis' | 'mastering'; fraction: number }) => void;
}

/** The mastered mix (and stems, by part), as every generator's audio is mastered. */
export type RenderResult = Omit<MasterResult, 'stems'> & { stems: Record<PartName, string> | null };

/** The synthesised, unmastered parts in the scratch folder (raw float files), ready for mastering. */
export interface SynthesizedMusic {
  sampleRate: number;
  mix: RawStereoFile;
  /** One per part when stems were asked for; they sum to the mix. */
  stems: Array<{ name: PartName; source: RawStereoFile }>;
  fadeFrames: number;
  /** Closes and deletes the raw files. */
  dispose(): void;
}

function stemOf(e: TimedMidiEvent): PartName {
  return e.stem ?? STEM_OF_CHANNEL[e.channel] ?? (e.channel === 9 ? 'drums' : 'harmony');
}

class StemSynth {
  readonly synth: SpessaSynthProcessor;
  private next = 0;

  constructor(private readonly events: readonly (TimedMidiEvent & { sample: number })[], bank: BasicSoundBank) {
    this.synth = new SpessaSynthProcessor(RENDER_SAMPLE_RATE, { maxBufferSize: QUANTUM, effectsEnabled: true, eventsEnabled: false });
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

/**
 * SMF → SoundFont synthesis, streamed in chunks to raw files in the scratch folder: with stems,
 * one synthesizer per part and the mix is their sum; without, one synthesizer plays everything
 * (its effects are linear, so the two mixes agree to rounding) at a quarter of the cost of the
 * reverb and chorus. A linear fade ends exactly at the duration.
 */
export async function synthesizeMidi(smf: Uint8Array, o: Omit<RenderOptions, 'out' | 'targetLufs' | 'truePeakCeilingDbtp'>): Promise<SynthesizedMusic> {
  if (!(o.durationSec > 0) || !Number.isFinite(o.durationSec)) throw new RangeError(`The duration must be a positive number of seconds, got ${o.durationSec}.`);
  o.signal?.throwIfAborted();
  const { events } = readSmf(smf);
  const frames = Math.round(o.durationSec * RENDER_SAMPLE_RATE);
  const fadeFrames = Math.min(frames, Math.round((o.fadeOutSec ?? 0) * RENDER_SAMPLE_RATE));
  const bank = await loadSoundFont(o.soundFont);
  const groups: (PartName | 'all')[] = o.stems ? [...STEMS] : ['all'];
  const synths = groups.map((g) => {
    const list = events.filter((e) => g === 'all' || stemOf(e) === g).map((e) => ({ ...e, sample: Math.round(e.sec * RENDER_SAMPLE_RATE) }));
    return new StemSynth(list, bank);
  });
  const tmp = makeScratchDir('render-');
  const files: RawStereoFile[] = [];
  const dispose = () => {
    for (const f of files) f.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const mix = new RawStereoFile(path.join(tmp, 'mix.f32'));
    files.push(mix);
    const stems = o.stems ? STEMS.map((name) => ({ name, source: new RawStereoFile(path.join(tmp, `${name}.f32`)) })) : [];
    files.push(...stems.map((s) => s.source));
    const L = new Float32Array(CHUNK), R = new Float32Array(CHUNK);
    for (let start = 0; start < frames; start += CHUNK) {
      o.signal?.throwIfAborted();
      const n = Math.min(CHUNK, frames - start);
      const sum = new Float32Array(2 * n);
      groups.forEach((g, gi) => {
        L.fill(0);
        R.fill(0);
        synths[gi]!.render(start, L.subarray(0, n), R.subarray(0, n));
        const inter = new Float32Array(2 * n);
        for (let i = 0; i < n; i++) {
          const f = start + i;
          const fade = f >= frames - fadeFrames ? (frames - f) / Math.max(1, fadeFrames) : 1;
          inter[2 * i] = L[i]! * fade;
          inter[2 * i + 1] = R[i]! * fade;
          sum[2 * i] += inter[2 * i]!;
          sum[2 * i + 1] += inter[2 * i + 1]!;
        }
        if (g !== 'all') stems[gi]!.source.append(inter);
      });
      mix.append(sum);
      o.onProgress?.({ stage: 'synthesis', fraction: (start + n) / frames });
      await tick();
    }
    return { sampleRate: RENDER_SAMPLE_RATE, mix, stems, fadeFrames, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** SMF → synthesis → the shared mastering (−14 LUFS, ≤ −1 dBTP, stems on the mix's gain) → WAVs. */
export async function renderMidi(smf: Uint8Array, o: RenderOptions): Promise<RenderResult> {
  checkWritableDestination(o.out);
  const synth = await synthesizeMidi(smf, o);
  try {
    const r = await masterStereo(synth.mix, {
      out: o.out, sampleRate: synth.sampleRate, fadeFrames: synth.fadeFrames, signal: o.signal,
      stems: synth.stems.map((s) => ({ name: s.name, source: s.source, out: stemPath(o.out, s.name) })),
      ...(o.targetLufs !== undefined ? { targetLufs: o.targetLufs } : {}),
      ...(o.truePeakCeilingDbtp !== undefined ? { truePeakCeilingDbtp: o.truePeakCeilingDbtp } : {}),
      onProgress: (p) => o.onProgress?.(p),
    });
    return { ...r, stems: o.stems ? (r.stems as Record<PartName, string>) : null };
  } finally {
    synth.dispose();
  }
}
