import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelPack } from '../../../electron/core/models/model-pack.ts';
import { openSession, releaseSession } from '../../../electron/core/models/onnx-session.ts';
import { onnxRuntimeInfo } from '../../../electron/core/models/runtime-info.ts';
import { resolveRuntimeOptions } from '../../../electron/core/models/session-options.ts';
import { TINY_PACK } from './goldens.ts';

// Real onnxruntime-node, as installed here: without `npm run gpu:cuda` there is no CUDA provider,
// so these pin what a user without it sees. On a machine that has it they cannot hold.
const cudaInstalled = onnxRuntimeInfo().cudaProvider;
if (cudaInstalled) console.warn('device-choice.test: skipped, the CUDA provider is installed here (these tests need a machine without it)');
const RHYTHM = path.join(TINY_PACK, 'rhythm_predictor.onnx');
const options = (device: 'auto' | 'cuda' | 'cpu') => resolveRuntimeOptions({ device }, {});

describe.skipIf(cudaInstalled)('device semantics without the CUDA provider (real onnxruntime-node)', () => {
  it('an explicit cuda fails, saying why and what to install, every time it is asked', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      // The second attempt is answered from the per-process failure memory: same message.
      const err = await openSession(() => RHYTHM, options('cuda'), 'rhythm_predictor (tiny)').then(() => null, (e: unknown) => e as Error & { code?: string });
      expect(err).not.toBeNull();
      expect(err!.name).toBe('PackError');
      expect(err!.code).toBe('RUNTIME');
      expect(err!.message).toMatch(/^CUDA was required for rhythm_predictor \(tiny\) but cannot start: the CUDA execution provider is not installed/);
      expect(err!.message).toContain('npm run gpu:cuda');
      expect(err!.message).toMatch(/device auto to fall back to the CPU/);
    }
  });

  it('auto falls back to the CPU and reports the reason; cpu asks for nothing else', async () => {
    const auto = await openSession(() => RHYTHM, options('auto'), 'rhythm_predictor (tiny)');
    expect(auto.report).toMatchObject({ provider: 'cpu', requested: 'auto', deviceId: null });
    expect(auto.report.fallbackReason).toMatch(/CUDA execution provider is not installed \(npm run gpu:cuda installs it/);
    expect(auto.session.inputNames).toContain('clip_features');
    await releaseSession(auto.session);
    const cpu = await openSession(() => RHYTHM, options('cpu'), 'rhythm_predictor (tiny)');
    expect(cpu.report).toMatchObject({ provider: 'cpu', requested: 'cpu', fallbackReason: null });
    await releaseSession(cpu.session);
  });

  it('a model pack carries the fallback reason into its session report, and refuses cuda on first use', async () => {
    const auto = ModelPack.open(TINY_PACK, { device: 'auto' });
    try {
      const loaded = await auto.load('rhythm_predictor');
      const [info] = auto.sessions();
      expect(info).toEqual(loaded);
      expect(info).toMatchObject({ model: 'rhythm_predictor', provider: 'cpu', precision: 'fp32', requested: 'auto' });
      expect(info!.fallbackReason).toMatch(/npm run gpu:cuda/);
    } finally {
      await auto.close();
    }
    const strict = ModelPack.open(TINY_PACK, { device: 'cuda' });
    try {
      await expect(strict.load('rhythm_predictor')).rejects.toThrow(/CUDA was required for rhythm_predictor \(diffv2m-tiny\) but cannot start: .*npm run gpu:cuda/);
      expect(strict.sessions()).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
