/**
 * Rhythm analysis speed: onset strength (mean + median) + onset detection + ODF_LR + tempo and
 * beats on 10 minutes of 44.1 kHz mono audio, fed in 64k-sample chunks as decoding would.
 * Prints processing time ÷ audio duration (goal ≤ 0.005) and peak RSS. Decoding is not timed
 * (see bench/decode.ts); Mel_LR / Tem_LR are timed separately on one minute.
 */
import { RhythmAnalyzer } from '../electron/core/audio/rhythm-analyzer.ts';
import { peakRssMB } from './bench-clips.ts';

const sr = 44100;
const seconds = Number(process.argv[2] ?? 600);

/** Music-like test signal: 118 BPM kick/hat pattern, a drifting chord and a little noise. */
function synth(n: number, offset: number): Float32Array {
  const y = new Float32Array(n);
  const beat = 60 / 118;
  let seed = 12345 + offset;
  for (let i = 0; i < n; i++) {
    const t = (offset + i) / sr;
    const ph = t % beat;
    const half = t % (beat / 2);
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const noise = (seed / 0x7fffffff - 0.5) * 0.02;
    const kick = Math.sin(2 * Math.PI * 60 * ph) * Math.exp(-ph * 25) * 0.6;
    const hat = ((seed & 1023) / 1023 - 0.5) * Math.exp(-half * 120) * 0.2;
    const chord = 0.05 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t) + Math.sin(2 * Math.PI * (330 + 5 * Math.sin(t / 7)) * t));
    y[i] = kick + hat + chord + noise;
  }
  return y;
}

function run(sec: number, withLr: boolean): { ms: number; beats: number; tempo: number } {
  const total = Math.round(sec * sr);
  const chunk = 65536;
  // Synthesise up front so only analysis is timed.
  const chunks: Float32Array[] = [];
  for (let off = 0; off < total; off += chunk) chunks.push(synth(Math.min(chunk, total - off), off));
  const t0 = performance.now();
  const a = new RhythmAnalyzer({ sampleRate: sr, melLR: withLr, temLR: withLr, expectedSamples: total });
  for (const c of chunks) a.push(c);
  const r = a.finish();
  return { ms: performance.now() - t0, beats: r.beats.length, tempo: r.tempo };
}

run(10, false); // warm-up (JIT)
const main = run(seconds, false);
const ratio = main.ms / 1000 / seconds;
console.log(`rhythm (onset strength + onsets + ODF_LR + tempo/beats), ${seconds} s of ${sr} Hz mono:`);
console.log(`  ${(main.ms / 1000).toFixed(2)} s → ratio ${ratio.toFixed(5)} (goal ≤ 0.005: ${ratio <= 0.005 ? 'met' : 'NOT met'}), ${(1 / ratio).toFixed(0)}× real time`);
console.log(`  tempo ${main.tempo.toFixed(2)} BPM, ${main.beats} beats`);
const lr = run(60, true);
console.log(`with Mel_LR + Tem_LR, 60 s: ratio ${(lr.ms / 1000 / 60).toFixed(5)}`);
console.log(`peak RSS ${peakRssMB().toFixed(0)} MB (includes the synthesised input: ${((seconds * sr * 4) / 2 ** 20).toFixed(0)} MB)`);
