import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelPack } from '../../../electron/core/models/model-pack.ts';
import { PackError } from '../../../electron/core/models/pack-error.ts';
import { verifyPack } from '../../../electron/core/models/pack-verify.ts';
import { tensor } from '../../../electron/core/models/tensor.ts';
import { listPacks, resolvePack } from '../../../electron/core/models/pack-discovery.ts';
import { TINY_PACK } from './goldens.ts';

let dir: string;
let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'v2m-pack-'));
  dir = path.join(root, 'tiny');
  cpSync(TINY_PACK, dir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const editManifest = (f: (m: any) => void) => {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  f(m);
  writeFileSync(file, JSON.stringify(m));
};

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    return `${(e as PackError).code}: ${(e as Error).message}`;
  }
  return 'no error';
}

describe('model pack checks before use', () => {
  it('a good copy verifies (sizes and sha256 of all 8 files)', async () => {
    const fractions: number[] = [];
    const m = await verifyPack(dir, { onProgress: (p) => fractions.push(p.fraction) });
    expect(m.name).toBe('diffv2m-tiny');
    expect(fractions.at(-1)).toBe(1);
  });

  it('a truncated model file is refused on open, naming the file and sizes', async () => {
    truncateSync(path.join(dir, 'dit.onnx'), 1000);
    const msg = await codeOf(() => ModelPack.open(dir));
    const bytes = JSON.parse(readFileSync(path.join(TINY_PACK, 'manifest.json'), 'utf8')).models.dit.files.fp32.bytes;
    expect(msg).toMatch(new RegExp(`^TRUNCATED: dit\\.onnx .* truncated \\(1000 of ${bytes} bytes\\)`));
  });

  it('a missing file is refused', async () => {
    rmSync(path.join(dir, 'vae_decoder.fp16.onnx'));
    expect(await codeOf(() => ModelPack.open(dir))).toMatch(/^MISSING_FILE: .*missing vae_decoder\.fp16\.onnx/);
  });

  it('a corrupted file of the right size fails its sha256 before any session is created', async () => {
    const f = path.join(dir, 'rhythm_predictor.onnx');
    const b = readFileSync(f);
    b[b.length >> 1] ^= 0xff;
    writeFileSync(f, b);
    expect(await codeOf(verifyPack(dir))).toMatch(/^CHECKSUM: rhythm_predictor\.onnx .* damaged/);
    const pack = ModelPack.open(dir, { device: 'cpu' });
    try {
      expect(await codeOf(pack.load('rhythm_predictor'))).toMatch(/^CHECKSUM/);
      expect(pack.sessions()).toEqual([]);
      // Other models of the pack still work.
      expect((await pack.load('vae_decoder')).provider).toBe('cpu');
    } finally {
      await pack.close();
    }
  });

  it('a manifest whose declared inputs do not match the graph is refused', async () => {
    editManifest((m) => { m.models.dit.inputs[1].name = 'timestep'; });
    const pack = ModelPack.open(dir, { device: 'cpu' });
    try {
      expect(await codeOf(pack.load('dit'))).toMatch(/^MISMATCH: dit \(diffv2m-tiny\) does not match its manifest: inputs missing timestep; undeclared t/);
    } finally {
      await pack.close();
    }
  });

  it('a declared fixed dimension that differs from the graph is refused', async () => {
    editManifest((m) => { m.models.clip_image.inputs[0].shape = ['batch', 3, 224, 224]; });
    const pack = ModelPack.open(dir, { device: 'cpu' });
    try {
      expect(await codeOf(pack.load('clip_image'))).toMatch(/^MISMATCH: .*pixel_values has shape \[batch, 3, 32, 32\] in the model but \[batch, 3, 224, 224\]/);
    } finally {
      await pack.close();
    }
  });

  it('broken or unsupported manifests are refused with what to do', async () => {
    writeFileSync(path.join(dir, 'manifest.json'), '{"format": "v2m-model-pack", ');
    expect(await codeOf(() => ModelPack.open(dir))).toMatch(/^BAD_MANIFEST: .* not valid JSON .*install it again/);
    cpSync(path.join(TINY_PACK, 'manifest.json'), path.join(dir, 'manifest.json'));
    editManifest((m) => { m.format_version = 2; });
    expect(await codeOf(() => ModelPack.open(dir))).toMatch(/^UNSUPPORTED: .*version 2; this app reads version 1/);
    cpSync(path.join(TINY_PACK, 'manifest.json'), path.join(dir, 'manifest.json'));
    editManifest((m) => { m.models.dit.files.fp32.sha256 = 'xyz'; });
    expect(await codeOf(() => ModelPack.open(dir))).toMatch(/^BAD_MANIFEST: .*models\.dit\.files\.fp32\.sha256/);
    cpSync(path.join(TINY_PACK, 'manifest.json'), path.join(dir, 'manifest.json'));
    editManifest((m) => { m.models.dit.files.fp32.path = '../../etc/passwd'; });
    expect(await codeOf(() => ModelPack.open(dir))).toMatch(/^BAD_MANIFEST: .*a path inside the pack/);
    expect(await codeOf(() => ModelPack.open(root))).toMatch(/^NOT_FOUND: .* has no manifest\.json/);
  });
});

describe('execution providers', () => {
  it('auto asks for CUDA, falls back to the CPU here and says why', async () => {
    const pack = ModelPack.open(dir, { device: 'auto', deviceId: 0 });
    try {
      const info = await pack.load('vae_decoder');
      expect(info.requested).toBe('auto');
      expect(info.provider).toBe('cpu');
      expect(info.precision).toBe('fp32');
      expect(info.fallbackReason).toMatch(/CUDA/);
      console.log(`provider: ${info.provider} (fallback: ${info.fallbackReason})`);
    } finally {
      await pack.close();
    }
  });

  it('device cuda refuses to run on the CPU silently', async () => {
    const pack = ModelPack.open(dir, { device: 'cuda' });
    try {
      expect(await codeOf(pack.load('vae_decoder'))).toMatch(/^RUNTIME: CUDA was required for vae_decoder .* cannot start: /);
    } finally {
      await pack.close();
    }
  });

  it('precision fp16 on the CPU loads the fp16 file when asked', async () => {
    const pack = ModelPack.open(dir, { device: 'cpu', precision: 'fp16' });
    try {
      const info = await pack.load('clip_image');
      expect([info.provider, info.precision, info.file]).toEqual(['cpu', 'fp16', 'clip_image.fp16.onnx']);
    } finally {
      await pack.close();
    }
  });

  it('writes into preallocated outputs when given (the sampler loop reuses one buffer)', async () => {
    const pack = ModelPack.open(dir, { device: 'cpu' });
    try {
      const feeds = { latents: tensor(Float32Array.from({ length: 8 * 64 }, (_, i) => Math.sin(i)), [1, 8, 64]) };
      const fresh = await pack.run('vae_decoder', feeds);
      const buf = new Float32Array(2 * 512);
      const into = await pack.run('vae_decoder', feeds, undefined, { audio: tensor(buf, [1, 2, 512]) });
      expect(into.audio!.data).toBe(buf);
      expect(buf).toEqual(fresh.audio!.data);
      expect(buf.some((v) => v !== 0)).toBe(true);
    } finally {
      await pack.close();
    }
  });

  it('disposes idle sessions and reopens them on the next call', async () => {
    const pack = ModelPack.open(dir, { device: 'cpu', idleDisposeMs: 50 });
    try {
      await pack.load('vae_decoder');
      expect(pack.sessions()).toHaveLength(1);
      expect(await pack.disposeIdle(Date.now() + 10)).toEqual([]);
      expect(await pack.disposeIdle(Date.now() + 1000)).toEqual(['vae_decoder']);
      expect(pack.sessions()).toHaveLength(0);
      await pack.load('vae_decoder');
      await new Promise((r) => setTimeout(r, 300));
      expect(pack.sessions()).toHaveLength(0);
    } finally {
      await pack.close();
    }
  });
});

describe('pack discovery', () => {
  it('finds user packs and the bundled tiny pack, and reports broken ones', () => {
    const user = path.join(root, 'user');
    cpSync(dir, path.join(user, 'mine'), { recursive: true });
    cpSync(dir, path.join(user, 'broken'), { recursive: true });
    rmSync(path.join(user, 'broken', 'dit.onnx'));
    const all = listPacks({ userDir: user });
    const bundled = all.find((p) => p.source === 'bundled' && p.name === 'diffv2m-tiny');
    expect(bundled?.status).toBe('ok');
    expect(bundled?.precisions).toEqual(['fp32', 'fp16']);
    const mine = all.filter((p) => p.source === 'user');
    expect(mine.map((p) => [path.basename(p.dir), p.status])).toEqual([['broken', 'invalid'], ['mine', 'ok']]);
    expect(mine[0]!.problem).toMatch(/missing dit\.onnx/);
    expect(resolvePack('diffv2m-tiny', { userDir: user }).source).toBe('user');
    expect(() => resolvePack('nope', { userDir: user })).toThrow(/No model pack named "nope"\. Installed: diffv2m-tiny/);
  });

  it('tells a random-weight test pack from one exported from a trained checkpoint', () => {
    const user = path.join(root, 'user');
    cpSync(dir, path.join(user, 'tiny'), { recursive: true });
    expect(listPacks({ userDir: user }).find((p) => p.source === 'user')?.randomWeights).toBe(true);
    // What `export.py` writes for a checkpoint export: no random marker anywhere.
    editManifest((m) => {
      m.source = { checkpoint: 'diffv2m.ckpt', config: 'model_config.json' };
      m.licence = { weights: 'Diff-V2M checkpoint (CC BY-NC 4.0)' };
    });
    cpSync(dir, path.join(user, 'trained'), { recursive: true });
    // And what `export.py --random-weights` writes.
    editManifest((m) => {
      m.source = { checkpoint: null, random_weights: true };
      m.licence = { weights: 'none' };
    });
    cpSync(dir, path.join(user, 'big-random'), { recursive: true });
    const byDir = Object.fromEntries(listPacks({ userDir: user }).filter((p) => p.source === 'user').map((p) => [path.basename(p.dir), p.randomWeights]));
    expect(byDir).toEqual({ 'big-random': true, tiny: true, trained: false });
  });
});
