import { describe, expect, it } from 'vitest';
import { choosePrecision, resolveRuntimeOptions } from '../../../electron/core/models/session-options.ts';
import { parseManifest, packFiles } from '../../../electron/core/models/manifest.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TINY_PACK } from './goldens.ts';

describe('runtime options', () => {
  it('defaults: CUDA first, device 0, all graph optimisations, sequential, 5 min idle disposal', () => {
    const o = resolveRuntimeOptions({}, {});
    expect(o).toMatchObject({ device: 'auto', deviceId: 0, arenaLimitBytes: null, interOpThreads: 1, graphOptimization: 'all', precision: 'auto', idleDisposeMs: 300_000 });
    expect(o.intraOpThreads).toBeGreaterThanOrEqual(1);
    expect(o.intraOpThreads).toBeLessThanOrEqual(8);
  });

  it('environment overrides and validation', () => {
    expect(resolveRuntimeOptions({}, { V2M_CUDA_DEVICE: '1', V2M_ONNX_DEVICE: 'cpu' })).toMatchObject({ deviceId: 1, device: 'cpu' });
    expect(resolveRuntimeOptions({ deviceId: 2 }, { V2M_CUDA_DEVICE: '1' }).deviceId).toBe(2);
    expect(() => resolveRuntimeOptions({ deviceId: -1 }, {})).toThrow(/device id must be a whole number ≥ 0/);
    expect(() => resolveRuntimeOptions({ device: 'tpu' as never }, {})).toThrow(/auto, cuda or cpu/);
    expect(() => resolveRuntimeOptions({ intraOpThreads: 0 }, {})).toThrow(/intraOpThreads/);
    expect(() => resolveRuntimeOptions({ arenaLimitBytes: 1.5 }, {})).toThrow(/arena limit/);
  });

  it('fp16 files on CUDA, fp32 on the CPU, unless asked otherwise', () => {
    expect(choosePrecision('cuda', 'auto', true)).toBe('fp16');
    expect(choosePrecision('cpu', 'auto', true)).toBe('fp32');
    expect(choosePrecision('cuda', 'auto', false)).toBe('fp32');
    expect(choosePrecision('cuda', 'fp32', true)).toBe('fp32');
    expect(choosePrecision('cpu', 'fp16', true)).toBe('fp16');
  });
});

describe('the manifest', () => {
  it('parses the committed tiny pack and lists its eight files', () => {
    const m = parseManifest(JSON.parse(readFileSync(path.join(TINY_PACK, 'manifest.json'), 'utf8')));
    expect(m.sampler).toMatchObject({ type: 'v-ddim', steps: 250, cfg_scale: 3, eta: 0 });
    expect(packFiles(m).map((f) => f.path).sort()).toEqual([
      'clip_image.fp16.onnx', 'clip_image.onnx', 'dit.fp16.onnx', 'dit.onnx', 'rhythm_predictor.fp16.onnx', 'rhythm_predictor.onnx', 'vae_decoder.fp16.onnx', 'vae_decoder.onnx',
    ]);
  });

  it('refuses a sampler it does not implement and inconsistent audio sizes', () => {
    const base = JSON.parse(readFileSync(path.join(TINY_PACK, 'manifest.json'), 'utf8'));
    expect(() => parseManifest({ ...base, sampler: { ...base.sampler, type: 'dpmpp-3m-sde' } })).toThrow(/sampler\.type/);
    expect(() => parseManifest({ ...base, sampler: { ...base.sampler, eta: 1 } })).toThrow(/sampler\.eta/);
    expect(() => parseManifest({ ...base, audio: { ...base.audio, latent_length: 65 } })).toThrow(/latent_length 65 does not match/);
    expect(() => parseManifest({ ...base, format: 'other' })).toThrow(/format/);
  });
});
