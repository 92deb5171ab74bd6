/**
 * Diff-V2M neural path timings: per-step CFG denoiser latency (one dit.onnx call on the doubled
 * batch) and the time to generate 30 s of music (every window of the pack's length that 30 s
 * needs, v-DDIM with CFG, then the VAE decoder). Prints steps per second and seconds per 30 s.
 * Run: node bin/run-ts.js bench/neural.ts [--pack <dir>] [--steps 250] [--device auto|cpu|cuda] [--precision auto|fp32|fp16] [--threads n]
 * With the tiny pack the figures measure the runtime's overhead, not the real model's cost;
 * the goal on an H200 with the full-size DiT is 250-step CFG generation of 30 s in under 10 s.
 */
import { parseArgs } from 'node:util';
import { gaussianNoise, planWindows, sampleVddim } from '../electron/core/diffusion/index.ts';
import { cudaFailure, decodeLatents, ditDenoiser, ModelPack, onnxRuntimeInfo, type DevicePreference } from '../electron/core/models/index.ts';
import { bundledModelsDir } from '../electron/core/models/index.ts';
import path from 'node:path';

const TINY_PACK = path.join(bundledModelsDir(), 'fixtures/tiny/pack');

const { values } = parseArgs({
  options: {
    pack: { type: 'string', default: TINY_PACK }, steps: { type: 'string', default: '250' },
    device: { type: 'string', default: 'auto' }, precision: { type: 'string', default: 'auto' },
    threads: { type: 'string' }, reps: { type: 'string', default: '20' },
  },
});
const steps = Number(values.steps);
const reps = Number(values.reps);
const pack = ModelPack.open(values.pack!, {
  device: values.device as DevicePreference, precision: values.precision as 'auto' | 'fp32' | 'fp16',
  ...(values.threads ? { intraOpThreads: Number(values.threads) } : {}),
});
const m = pack.manifest;
const S = m.conditioning.max_seconds, d = m.conditioning.clip_dim, ch = m.audio.latent_channels, L = m.audio.latent_length;
const ort = onnxRuntimeInfo();
console.log(`onnxruntime-node ${ort.version}; pack ${m.name} (${values.pack})`);
console.log(`latent [${ch}, ${L}] per ${S} s window; CFG batch 2; ${steps} steps`);

// Conditioning of one full window: per-second features and rhythm from a fixed seed (timings do
// not depend on the values).
const clip = gaussianNoise(S * d, 1), rhythm = gaussianNoise(S, 2), mask = new Float32Array(S).fill(1);
const denoise = ditDenoiser(pack, {
  batch: 1, seconds: S, clipFeatures: clip, rhythm, featureMask: mask,
  secondsStart: Float32Array.of(0), secondsTotal: Float32Array.of(S), classLabel: [2],
});
const x2 = gaussianNoise(2 * ch * L, 3);
const uncond = Float32Array.of(0, 1);
const load0 = performance.now();
for (const name of ['dit', 'vae_decoder'] as const) await pack.load(name);
const loadSec = (performance.now() - load0) / 1000;
for (let i = 0; i < 3; i++) await denoise(x2, 0.5, uncond, 2);
const lat: number[] = [];
for (let i = 0; i < reps; i++) {
  const t0 = performance.now();
  await denoise(x2, 1 - i / reps, uncond, 2);
  lat.push(performance.now() - t0);
}
lat.sort((a, b) => a - b);
const median = lat[lat.length >> 1]!;
const dit = pack.sessions().find((s) => s.model === 'dit')!;
console.log(`provider ${dit.provider.toUpperCase()} ${dit.precision} (${dit.file}); sessions opened in ${loadSec.toFixed(2)} s`);
console.log(`per-step denoiser (CFG, batch 2): median ${median.toFixed(2)} ms, min ${lat[0]!.toFixed(2)} ms, max ${lat.at(-1)!.toFixed(2)} ms over ${reps} calls`);

// 30 s of music: as many windows as the generator would use, each a full sampler run + decode.
const windows = planWindows(30, { windowSec: S, overlapSec: Math.max(0.5, Math.min(S / 2, (2 * S) / 30)) });
const t0 = performance.now();
let sampling = 0;
for (const [k] of windows.entries()) {
  const ts = performance.now();
  const latent = await sampleVddim(denoise, { noise: gaussianNoise(ch * L, 100 + k), batch: 1, steps, cfgScale: m.sampler.cfg_scale });
  sampling += performance.now() - ts;
  await decodeLatents(pack, latent, 1);
}
const total = (performance.now() - t0) / 1000;
const totalSteps = steps * windows.length;
console.log(`30 s of music: ${windows.length} window(s) × ${steps} steps = ${totalSteps} CFG steps`);
console.log(`  sampler ${(totalSteps / (sampling / 1000)).toFixed(1)} steps/s; ${total.toFixed(2)} s per 30 s of music (sampling ${(sampling / 1000).toFixed(2)} s, decode ${(total - sampling / 1000).toFixed(2)} s)`);
if (dit.provider !== 'cuda') {
  const why = dit.fallbackReason ?? cudaFailure(pack.options.deviceId) ?? 'the CPU was asked for';
  console.log(`no GPU was available: these are CPU figures (${why}).`);
  if (m.name.includes('tiny')) console.log('the tiny pack has random, tiny weights: the figures show runtime overhead, not the full model\'s cost.');
}
await pack.close();
