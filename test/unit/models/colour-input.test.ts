import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourPerSecond } from '../../../electron/core/diffusion/diffv2m-generator.ts';
import { ditColourDim, ditDenoiser } from '../../../electron/core/models/diffv2m-models.ts';
import { ModelPack } from '../../../electron/core/models/model-pack.ts';
import { TINY_PACK } from './goldens.ts';

describe('colour histograms for packs whose DiT takes them', () => {
  it('one row per second: the first frame of each second, gaps repeat the previous second', () => {
    const h = { dim: 2, times: Float64Array.from([0, 0.5, 1.2, 3.1]), data: Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]), recipe: '' };
    expect(Array.from(colourPerSecond(h, 4, 2))).toEqual([1, 1, 3, 3, 3, 3, 4, 4]);
    expect(() => colourPerSecond(h, 4, 3072)).toThrow(/2-d colour histograms; the pack's denoiser takes 3072-d/);
  });

  it('the tiny pack (released wiring) has no colour input; a pack declaring one requires histograms', () => {
    const plain = ModelPack.open(TINY_PACK, { device: 'cpu' });
    expect(ditColourDim(plain)).toBeNull();
    void plain.close();
    const root = mkdtempSync(path.join(os.tmpdir(), 'v2m-colour-'));
    try {
      cpSync(TINY_PACK, root, { recursive: true });
      const file = path.join(root, 'manifest.json');
      const m = JSON.parse(readFileSync(file, 'utf8'));
      m.models.dit.inputs.push({ name: 'color', dtype: 'float32', shape: ['batch', 'seconds', 12] }, { name: 'color_mask', dtype: 'float32', shape: ['batch', 'seconds'] });
      writeFileSync(file, JSON.stringify(m));
      const pack = ModelPack.open(root, { device: 'cpu' });
      expect(ditColourDim(pack)).toBe(12);
      const c = { batch: 1, seconds: 6, clipFeatures: new Float32Array(96), rhythm: new Float32Array(6), featureMask: new Float32Array(6), secondsStart: new Float32Array(1), secondsTotal: new Float32Array(1), classLabel: [2] };
      expect(() => ditDenoiser(pack, c)).toThrow(/takes 12-d colour histograms per second/);
      expect(() => ditDenoiser(pack, { ...c, colour: new Float32Array(72) })).not.toThrow();
      void pack.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
