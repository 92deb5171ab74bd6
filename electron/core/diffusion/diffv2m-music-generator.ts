import type { MusicGenerator } from '../generation/music-generator.ts';
import { listPacks, ModelPack, resolvePack } from '../models/index.ts';
import { parseDiffV2mParams, type DiffV2mParams } from './diffv2m-params.ts';

export type { DiffV2mParams } from './diffv2m-params.ts';
import { memorySource } from '../mastering/index.ts';
import { diffV2mAudio } from './diffv2m-generator.ts';

/** The Diff-V2M neural generator (ONNX DiT + VAE from a model pack) as a pipeline generator. */
export const diffV2mGenerator: MusicGenerator<DiffV2mParams> = {
  name: 'diffv2m',
  stages: [
    { name: 'loading', weight: 0.03 }, { name: 'analysis', weight: 0.1 }, { name: 'clip-features', weight: 0.05 },
    { name: 'rhythm', weight: 0.02 }, { name: 'sampling', weight: 0.77 }, { name: 'decoding', weight: 0.03 },
  ],
  parseParams: parseDiffV2mParams,
  needsHistograms: () => true,
  async generate(req, p) {
    if (!req.video) throw new Error('The Diff-V2M generator needs the clip itself (its frames give the CLIP features), not a plan alone.');
    const listing = p.pack ? resolvePack(p.pack) : listPacks().find((x) => x.status === 'ok');
    if (!listing) throw new Error('No Diff-V2M model pack is installed; install one with v2m models install <folder|URL>.');
    if (listing.status !== 'ok') throw new Error(`The model pack ${listing.dir} cannot be used: ${listing.problem}`);
    const pack = ModelPack.open(listing.dir, { device: p.device });
    try {
      const a = await diffV2mAudio(req.plan, {
        video: req.video, pack, seed: req.seed, signal: req.signal, onWarning: req.warn,
        ...(req.analysis ? { analysis: req.analysis } : {}), ...(p.steps !== undefined ? { steps: p.steps } : {}), ...(p.cfgScale !== undefined ? { cfgScale: p.cfgScale } : {}),
        onProgress: (x) => req.progress(x.stage, x.fraction),
      });
      const { stereo, sampleRate, ...details } = a;
      const providers = [...new Set(a.sessions.map((s) => s.provider))].join('+');
      return {
        sampleRate, mix: memorySource(stereo), stems: [], fadeFrames: 0, midi: null,
        details: { diffv2m: { pack: details.pack, packName: details.packName, sessions: details.sessions, steps: details.steps, cfgScale: details.cfgScale, windows: details.windows.length, timings: details.timings } },
        label: `Diff-V2M ${a.packName}, ${a.steps} steps, CFG ${a.cfgScale}, ${providers}, seed ${a.seed}`,
        dispose: () => pack.close(),
      };
    } catch (e) {
      await pack.close();
      throw e;
    }
  },
};
