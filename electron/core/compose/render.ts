import { closeSync, openSync, readSync, rmSync, writeSync, accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDir } from '../scratch/index.ts';
import { SpessaSynthProcessor, type BasicSoundBank } from 'spessasynth_core';
import { STEMS, STEM_OF_CHANNEL, type PartName } from './arrangement.ts';
import { LimiterGain } from './limiter.ts';
import { LoudnessMeter, TruePeakMeter, toDb } from './loudness-meter.ts';
import { readSmf, type TimedMidiEvent } from './smf.ts';
import { loadSoundFont } from './soundfont.ts';
import { WavWriter, writeError } from './wav-writer.ts';

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

export interface RenderResult {
  path: string;
  stems: Record<PartName, string> | null;
  sampleRate: number;
  frames: number;
  integratedLufs: number;
  truePeakDbtp: number;
  /** Gain applied to reach the target loudness (before the limiter). */
  gainDb: number;
  /** Deepest limiter gain reduction (0 when it never acted). */
  limiterReductionDb: number;
  /** Longest stretch quieter than −60 dBFS before the fade, seconds. */
  longestSilenceSec: number;
  masteringPasses: number;
  warnings: string[];
}

export function stemPath(out: string, stem: PartName): string {
  const ext = path.extname(out) || '.wav';
  return path.join(path.dirname(out), `${path.basename(out, ext)}.${stem}${ext}`);
}

/** Fails early, before minutes of rendering, when the destination cannot take the file. */
export function checkWritableDestination(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw writeError(file, e);
  }
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

function readFrames(fd: number, frame: number, frames: number): Float32Array {
  const buf = Buffer.alloc(frames * 8);
  const got = readSync(fd, buf, 0, buf.length, frame * 8);
  return new Float32Array(buf.buffer, buf.byteOffset, got / 4);
}

function writeFrames(fd: number, data: Float32Array): void {
  writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * SMF → SoundFont synthesis → loudness-normalised, true-peak-limited 24-bit WAV (and stems).
 * Each part has its own synthesizer, and the mix is their sum, so the stems add up to the mix.
 * Synthesis streams to raw temporary files; mastering then reads them back in chunks: gain to the
 * target loudness, a look-ahead true-peak limiter whose gain is applied to mix and stems alike,
 * measured again and repeated (at most 4 passes) until within 0.1 LU and under the ceiling.
 */
export async function renderMidi(smf: Uint8Array, o: RenderOptions): Promise<RenderResult> {
  const target = o.targetLufs ?? -14;
  const ceilingDb = o.truePeakCeilingDbtp ?? -1;
  if (!(o.durationSec > 0) || !Number.isFinite(o.durationSec)) throw new RangeError(`The duration must be a positive number of seconds, got ${o.durationSec}.`);
  checkWritableDestination(o.out);
  o.signal?.throwIfAborted();
  const { events } = readSmf(smf);
  const frames = Math.round(o.durationSec * RENDER_SAMPLE_RATE);
  const fadeFrames = Math.min(frames, Math.round((o.fadeOutSec ?? 0) * RENDER_SAMPLE_RATE));
  const warnings: string[] = [];

  const bank = await loadSoundFont(o.soundFont);
  // With stems, one synthesizer per part and the mix is their sum; without, one synthesizer
  // plays everything (its effects are linear, so the two mixes agree to rounding) at a quarter
  // of the cost of the reverb and chorus.
  const groups: (PartName | 'all')[] = o.stems ? [...STEMS] : ['all'];
  const synths = groups.map((g) => {
    const list = events.filter((e) => g === 'all' || stemOf(e) === g).map((e) => ({ ...e, sample: Math.round(e.sec * RENDER_SAMPLE_RATE) }));
    return new StemSynth(list, bank);
  });
  const tmp = makeScratchDir('render-');
  const fds = new Map<PartName | 'mix', number>();
  const writers: WavWriter[] = [];
  try {
    fds.set('mix', openSync(path.join(tmp, 'mix.f32'), 'w+'));
    if (o.stems) for (const s of STEMS) fds.set(s, openSync(path.join(tmp, `${s}.f32`), 'w+'));
    const meter = new LoudnessMeter(RENDER_SAMPLE_RATE);
    const L = new Float32Array(CHUNK), R = new Float32Array(CHUNK);
    for (let start = 0; start < frames; start += CHUNK) {
      o.signal?.throwIfAborted();
      const n = Math.min(CHUNK, frames - start);
      const mix = new Float32Array(2 * n);
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
          mix[2 * i] += inter[2 * i]!;
          mix[2 * i + 1] += inter[2 * i + 1]!;
        }
        if (g !== 'all') writeFrames(fds.get(g)!, inter);
      });
      writeFrames(fds.get('mix')!, mix);
      meter.push(mix);
      o.onProgress?.({ stage: 'synthesis', fraction: (start + n) / frames });
      await tick();
    }
    let raw = meter.integrated();
    if (!Number.isFinite(raw)) {
      warnings.push('The music is silent; loudness normalisation was skipped.');
      raw = target;
    }

    /** Loudness after gain + limiter, measured without writing anything. */
    const measure = async (gainDb: number, limitDb: number): Promise<number> => {
      const g = 10 ** (gainDb / 20);
      const limiter = new LimiterGain({ sampleRate: RENDER_SAMPLE_RATE, ceiling: 10 ** (limitDb / 20) });
      const m = new LoudnessMeter(RENDER_SAMPLE_RATE);
      let done = 0;
      const take = (gains: Float32Array) => {
        if (!gains.length) return;
        const x = readFrames(fds.get('mix')!, done, gains.length);
        for (let i = 0; i < gains.length; i++) {
          const k = g * gains[i]!;
          x[2 * i] *= k;
          x[2 * i + 1] *= k;
        }
        m.push(x);
        done += gains.length;
      };
      for (let start = 0; start < frames; start += CHUNK) {
        o.signal?.throwIfAborted();
        const chunk = readFrames(fds.get('mix')!, start, Math.min(CHUNK, frames - start));
        for (let i = 0; i < chunk.length; i++) chunk[i] *= g;
        take(limiter.push(chunk));
        if ((start / CHUNK) % 32 === 0) await tick();
      }
      take(limiter.flush());
      return m.integrated();
    };

    // Secant iterations on the gain: the limiter takes a little loudness back, so aim again.
    let limitDb = ceilingDb - 0.3;
    let gainDb = target - raw;
    let prev: { gain: number; lufs: number } | null = null;
    for (let it = 0; it < 6; it++) {
      const lufs = await measure(gainDb, limitDb);
      o.onProgress?.({ stage: 'mastering', fraction: (it + 1) / 8 });
      if (!Number.isFinite(lufs) || Math.abs(lufs - target) <= 0.05) break;
      const slope: number = prev && Math.abs(prev.gain - gainDb) > 1e-6 ? (lufs - prev.lufs) / (gainDb - prev.gain) : 1;
      prev = { gain: gainDb, lufs };
      gainDb += (target - lufs) / Math.max(0.2, Math.min(1.5, slope));
    }

    for (let pass = 1; pass <= 3; pass++) {
      const g = 10 ** (gainDb / 20);
      const limiter = new LimiterGain({ sampleRate: RENDER_SAMPLE_RATE, ceiling: 10 ** (limitDb / 20) });
      const outMeter = new LoudnessMeter(RENDER_SAMPLE_RATE);
      const tp = new TruePeakMeter();
      const mixWriter = new WavWriter(o.out, RENDER_SAMPLE_RATE);
      writers.push(mixWriter);
      const stemWriters = o.stems ? STEMS.map((s) => { const w = new WavWriter(stemPath(o.out, s), RENDER_SAMPLE_RATE); writers.push(w); return [s, w] as const; }) : [];
      let done = 0;
      const silenceStep = RENDER_SAMPLE_RATE / 10;
      let quietRun = 0, longestQuiet = 0, acc = 0, accN = 0;
      const emit = (gains: Float32Array) => {
        if (!gains.length) return;
        const mix = readFrames(fds.get('mix')!, done, gains.length);
        for (let i = 0; i < gains.length; i++) {
          const k = g * gains[i]!;
          mix[2 * i] *= k;
          mix[2 * i + 1] *= k;
        }
        mixWriter.write(mix);
        outMeter.push(mix);
        tp.push(mix);
        for (const [s, w] of stemWriters) {
          const st = readFrames(fds.get(s)!, done, gains.length);
          for (let i = 0; i < gains.length; i++) {
            const k = g * gains[i]!;
            st[2 * i] *= k;
            st[2 * i + 1] *= k;
          }
          w.write(st);
        }
        for (let i = 0; i < gains.length; i++) {
          if (done + i >= frames - fadeFrames) break;
          acc += mix[2 * i]! ** 2 + mix[2 * i + 1]! ** 2;
          if (++accN === silenceStep) {
            const quiet = acc / (2 * accN) < 1e-6; // −60 dBFS
            quietRun = quiet ? quietRun + 1 : 0;
            longestQuiet = Math.max(longestQuiet, quietRun);
            acc = 0;
            accN = 0;
          }
        }
        done += gains.length;
      };
      for (let start = 0; start < frames; start += CHUNK) {
        o.signal?.throwIfAborted();
        const chunk = readFrames(fds.get('mix')!, start, Math.min(CHUNK, frames - start));
        for (let i = 0; i < chunk.length; i++) chunk[i] *= g;
        emit(limiter.push(chunk));
        o.onProgress?.({ stage: 'mastering', fraction: 0.75 + 0.25 * Math.min(1, (start + CHUNK) / frames) });
        if ((start / CHUNK) % 16 === 0) await tick();
      }
      emit(limiter.flush());
      const lufs = outMeter.integrated();
      const peakDb = toDb(tp.value());
      const result = {
        sampleRate: RENDER_SAMPLE_RATE, frames, integratedLufs: lufs, truePeakDbtp: peakDb, gainDb,
        limiterReductionDb: -toDb(limiter.minGain), longestSilenceSec: longestQuiet / 10, masteringPasses: pass,
      };
      if (peakDb <= ceilingDb || pass === 3) {
        if (peakDb > ceilingDb) warnings.push(`The true peak is ${peakDb.toFixed(2)} dBTP, above the ${ceilingDb} dBTP ceiling.`);
        if (Number.isFinite(lufs) && Math.abs(lufs - target) > 0.5) warnings.push(`The loudness is ${lufs.toFixed(2)} LUFS, not ${target} LUFS.`);
        const stems = o.stems ? (Object.fromEntries(stemWriters.map(([s, w]) => [s, w.commit()])) as Record<PartName, string>) : null;
        const written = mixWriter.commit();
        writers.length = 0;
        return { ...result, path: written, stems, warnings };
      }
      // Inter-sample peaks of the limited signal can sit a hair above the limiter's estimate.
      for (const w of writers) w.abort();
      writers.length = 0;
      limitDb -= peakDb - ceilingDb + 0.1;
    }
    throw new Error('Mastering did not finish.');
  } finally {
    for (const w of writers) w.abort();
    for (const fd of fds.values()) closeSync(fd);
    rmSync(tmp, { recursive: true, force: true });
  }
}
