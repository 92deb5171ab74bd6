import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { makeScratchDir } from '../scratch/index.ts';
import { startTsWorker } from '../jobs/ts-worker.ts';
import { checkWritableDestination, stemPath } from '../files/output-paths.ts';
import { masterStereo, RawPass, RawStereoFile, sumSource, type MasterResult, type MeasuredSource, type RawMeasure, type StereoSource } from '../mastering/index.ts';
import { STEMS, STEM_OF_CHANNEL, type PartName } from './arrangement.ts';
import { EffectsBus } from './effects-bus.ts';
import type { SendChunk } from './send-taps.ts';
import { readSmf, type TimedMidiEvent } from './smf.ts';
import { loadSoundFont } from './soundfont.ts';
import { CHUNK, fadeGain, QUANTUM, RENDER_SAMPLE_RATE, renderGroups, type SampledEvent, type SynthGroup } from './synth-group.ts';

export { RENDER_SAMPLE_RATE } from './synth-group.ts';

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
  mix: StereoSource;
  /** One per part when stems were asked for; they sum to the mix. */
  stems: Array<{ name: PartName; source: StereoSource }>;
  fadeFrames: number;
  /** Closes and deletes the raw files. */
  dispose(): void;
}

function stemOf(e: TimedMidiEvent): PartName {
  return e.stem ?? STEM_OF_CHANNEL[e.channel] ?? (e.channel === 9 ? 'drums' : 'harmony');
}

/** Below this a second thread costs more (its start, its own reverb) than it saves. */
const PARALLEL_MIN_SEC = 20;

/** Threads to synthesise on: V2M_SYNTH_THREADS, else 2 when the machine has two cores and the clip is long. */
export function synthThreads(durationSec: number): number {
  const env = Number(process.env.V2M_SYNTH_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 2);
  return durationSec >= PARALLEL_MIN_SEC && availableParallelism() >= 2 ? 2 : 1;
}

/** The GM percussion channel: its notes choke each other (open/closed hi-hat), so they stay on one synthesizer. */
const DRUM_CHANNEL = 9;

/** Sounding time (+ a release) of the notes of each unit `unitOf` names: the synthesis cost a unit brings. */
function noteCost<K>(events: readonly SampledEvent[], unitOf: (e: SampledEvent) => K): Map<K, number> {
  const cost = new Map<K, number>();
  const on = new Map<string, number>();
  for (const e of events) {
    const key = `${e.channel}:${e.a}`;
    if (e.kind === 'noteOn' && e.b > 0) on.set(key, e.sample);
    else if (e.kind === 'noteOff' || (e.kind === 'noteOn' && e.b === 0)) {
      const s = on.get(key);
      if (s !== undefined) cost.set(unitOf(e), (cost.get(unitOf(e)) ?? 0) + (e.sample - s) + 0.3 * RENDER_SAMPLE_RATE);
      on.delete(key);
    }
  }
  return cost;
}

const isNote = (e: SampledEvent) => e.kind === 'noteOn' || e.kind === 'noteOff';
/** A melodic channel's notes go by key (a re-struck key behaves as on one synthesizer); the drums as one. */
const noteUnit = (e: SampledEvent) => (e.channel === DRUM_CHANNEL ? `${e.channel}` : `${e.channel}:${e.a}`);

/**
 * The notes dealt to `n` synthesizers that sum to the mix, costliest unit first onto the least
 * loaded: each melodic channel's notes by key, the drum channel whole; every synthesizer gets
 * every controller and program change, so each channel sounds the same in each. Dealing keys
 * rather than channels balances the threads even when one channel (a layered pad) costs more
 * than all the others together.
 */
export function splitNotes(events: readonly SampledEvent[], n: number): SampledEvent[][] {
  const units = [...noteCost(events, noteUnit)].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const load = new Array<number>(n).fill(0);
  const owner = new Map<string, number>();
  for (const [u, c] of units) {
    const k = load.indexOf(Math.min(...load));
    owner.set(u, k);
    load[k] += c;
  }
  const out = Array.from({ length: n }, () => [] as SampledEvent[]);
  const notes = new Array<number>(n).fill(0);
  for (const e of events) {
    if (!isNote(e)) {
      for (const part of out) part.push(e);
      continue;
    }
    const k = owner.get(noteUnit(e)) ?? 0; // a note-off with no note-on costs nothing: part 0
    out[k]!.push(e);
    notes[k]++;
  }
  return out.filter((_, k) => notes[k]! > 0 || k === 0);
}

/** Groups dealt to threads so their costs balance (greedy, costliest first). */
function dealToThreads(groups: SynthGroup[], threads: number): SynthGroup[][] {
  const cost = (g: SynthGroup) => [...noteCost(g.events, (e) => e.channel).values()].reduce((a, b) => a + b, 0);
  const sorted = [...groups].sort((a, b) => cost(b) - cost(a));
  const load = new Array<number>(threads).fill(0);
  const out = Array.from({ length: threads }, () => [] as SynthGroup[]);
  for (const g of sorted) {
    const k = load.indexOf(Math.min(...load));
    out[k]!.push(g);
    load[k] += cost(g);
  }
  return out.filter((x) => x.length);
}

/** A worker's effect sends, for an effects bus in this thread. */
interface BusLink {
  /** [0]: chunks consumed so far (shared memory); the worker pauses when it is too far ahead of it. */
  consumed: Int32Array;
  onSends(dry: Float32Array, chunk: SendChunk): void;
}

/** Renders groups in a worker thread; rejects with the worker's error, terminates it on abort. */
function renderInWorker(groups: SynthGroup[], frames: number, fadeFrames: number, soundFont: string | undefined, onFrames: (n: number) => void, signal?: AbortSignal, bus?: BusLink): Promise<void> {
  return new Promise((resolve, reject) => {
    const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
    const w = startTsWorker(new URL(`./synth-worker.${ext}`, import.meta.url), { workerData: { groups, frames, fadeFrames, soundFont, consumed: bus?.consumed.buffer } });
    let settled = false;
    const abort = () => {
      if (bus) {
        // Wake a worker paused for the bus, so terminate() finds it running.
        Atomics.store(bus.consumed, 0, 1 << 30);
        Atomics.notify(bus.consumed, 0);
      }
      void w.terminate();
    };
    signal?.addEventListener('abort', abort, { once: true });
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      if (err) {
        abort();
        reject(err);
      } else resolve();
    };
    w.on('message', (m: { type: 'frames' | 'done'; n: number } | { type: 'sends'; dry: Float32Array; chunk: SendChunk }) => {
      try {
        if (m.type === 'sends') bus!.onSends(m.dry, m.chunk);
        else {
          onFrames(m.n);
          if (m.type === 'done') finish();
        }
      } catch (e) {
        finish(e as Error);
      }
    });
    w.on('error', (e) => finish(e));
    w.on('exit', (code) => (signal?.aborted ? finish(signal.reason instanceof Error ? signal.reason : new Error('Cancelled.')) : code !== 0 ? finish(new Error(`The synthesis thread stopped (exit code ${code}).`)) : undefined));
  });
}

/**
 * One synthesizer per worker thread, each rendering its share of the notes dry, and here one effects bus
 * that runs chorus, delay and reverb on the sum of their sends as their chunks arrive and writes
 * the mix (the dry chunks plus the effects, faded like them) to `mixFile`. One reverb for the mix
 * instead of one per thread, done by this thread, which would otherwise wait; and one raw file
 * for the mastering to read instead of one per thread.
 */
async function renderWithEffectsBus(groups: SynthGroup[], mixFile: string, frames: number, fadeFrames: number, soundFont: string | undefined, onFrames: (n: number) => void, signal?: AbortSignal): Promise<RawMeasure> {
  const bus = new EffectsBus(RENDER_SAMPLE_RATE, QUANTUM, CHUNK);
  const mix = new RawStereoFile(mixFile);
  // The mastering's raw pass, on each chunk as it is written: this thread has the time.
  const raw = new RawPass(RENDER_SAMPLE_RATE, frames);
  const queues = groups.map(() => [] as { dry: Float32Array; sends: SendChunk }[]);
  const consumed = groups.map(() => new Int32Array(new SharedArrayBuffer(4)));
  let done = 0;
  const drain = () => {
    while (queues.every((q) => q.length)) {
      const at = done;
      const heads = queues.map((q) => q.shift()!);
      const y = bus.process(heads.map((h) => h.sends), (i) => fadeGain(at + i, frames, fadeFrames));
      for (const h of heads) {
        if (h.dry.length !== y.length) throw new Error('Internal error: a dry chunk does not match its sends.');
        for (let i = 0; i < y.length; i++) y[i] += h.dry[i]!;
      }
      mix.append(y);
      raw.push(y);
      done += y.length / 2;
      for (const c of consumed) {
        Atomics.add(c, 0, 1);
        Atomics.notify(c, 0);
      }
    }
  };
  // A failed thread stops the others: one may be paused waiting for the bus.
  const stop = new AbortController();
  const forward = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  try {
    await Promise.all(groups.map((g, k) => renderInWorker([g], frames, fadeFrames, soundFont, onFrames, stop.signal, {
      consumed: consumed[k]!,
      onSends: (dry, sends) => {
        queues[k]!.push({ dry, sends });
        drain();
      },
    }).catch((e: unknown) => {
      stop.abort(e);
      throw e;
    })));
    if (done !== frames) throw new Error(`Internal error: the effects bus rendered ${done} of ${frames} frames.`);
    return raw.finish();
  } finally {
    signal?.removeEventListener('abort', forward);
    mix.close();
  }
}

/**
 * SMF → SoundFont synthesis to raw files in the scratch folder. With stems, one synthesizer per
 * part (each with its own effects, so every stem is wet) and the mix is their sum; without, on
 * one thread one synthesizer renders everything, on two (a machine with two cores, a long clip)
 * the notes are dealt to one dry synthesizer per worker (splitNotes) and their sends to one
 * effects bus here, which writes the mix — the voices and the effects are linear, so any split
 * gives the same music to rounding. A linear fade ends exactly at the duration.
 */
export async function synthesizeMidi(smf: Uint8Array, o: Omit<RenderOptions, 'out' | 'targetLufs' | 'truePeakCeilingDbtp'>): Promise<SynthesizedMusic> {
  if (!(o.durationSec > 0) || !Number.isFinite(o.durationSec)) throw new RangeError(`The duration must be a positive number of seconds, got ${o.durationSec}.`);
  o.signal?.throwIfAborted();
  const { events } = readSmf(smf);
  const frames = Math.round(o.durationSec * RENDER_SAMPLE_RATE);
  const fadeFrames = Math.min(frames, Math.round((o.fadeOutSec ?? 0) * RENDER_SAMPLE_RATE));
  const sampled = events.map((e) => ({ ...e, sample: Math.round(e.sec * RENDER_SAMPLE_RATE) }));
  const threads = synthThreads(o.durationSec);
  const tmp = makeScratchDir('render-');
  const files: RawStereoFile[] = [];
  const dispose = () => {
    for (const f of files) f.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const groups: SynthGroup[] = o.stems
      ? STEMS.map((name) => ({ name, events: sampled.filter((e) => stemOf(e) === name), file: path.join(tmp, `${name}.f32`) }))
      : splitNotes(sampled, threads).map((ev, k) => ({ name: `part${k}`, events: ev, file: path.join(tmp, `part${k}.f32`) }));
    if (!groups.length) groups.push({ name: 'part0', events: [], file: path.join(tmp, 'part0.f32') });
    let done = 0;
    const total = frames * groups.length;
    const onFrames = (n: number) => {
      done += n;
      o.onProgress?.({ stage: 'synthesis', fraction: Math.min(1, done / total) });
    };
    // The raw files synthesis leaves: one per group, or with an effects bus the mix alone.
    let written: Array<{ name: string; file: string }> = groups;
    let measured: RawMeasure | undefined;
    if (!o.stems && groups.length > 1) {
      const mixFile = path.join(tmp, 'mix.f32');
      measured = await renderWithEffectsBus(groups, mixFile, frames, fadeFrames, o.soundFont, onFrames, o.signal);
      written = [{ name: 'mix', file: mixFile }];
    } else {
      const bank = await loadSoundFont(o.soundFont);
      await Promise.all(dealToThreads(groups, threads).map((share, k) => (k === 0
        ? renderGroups(share, bank, frames, fadeFrames, onFrames, o.signal)
        : renderInWorker(share, frames, fadeFrames, o.soundFont, onFrames, o.signal))));
    }
    const parts = written.map((g) => {
      const f = new RawStereoFile(g.file, { existing: true });
      files.push(f);
      return { name: g.name as PartName, source: f };
    });
    const stems = o.stems ? parts : [];
    const sum = sumSource(parts.map((p) => p.source));
    const mix: MeasuredSource = measured ? { frames: sum.frames, read: (start, n) => sum.read(start, n), measured } : sum;
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
