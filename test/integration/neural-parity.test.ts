import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleVddim, vddimSchedule } from '../../electron/core/diffusion/index.ts';
import { clipImageEmbeds, decodeLatents, ditDenoiser, predictOdf } from '../../electron/core/models/diffv2m-models.ts';
import { ModelPack } from '../../electron/core/models/model-pack.ts';
import { maxAbsDiff, tensor } from '../../electron/core/models/tensor.ts';
import { f32, goldenIndex, ints, readGolden, TINY_PACK } from '../unit/models/goldens.ts';

const idx = goldenIndex();
const TOL = idx.tolerance_fp32;
const report: string[] = [];
const within = (name: string, got: ArrayLike<number>, want: ArrayLike<number>) => {
  const d = maxAbsDiff(got, want);
  report.push(`${name.padEnd(34)} max |Δ| = ${d.toExponential(3)}`);
  expect(d).toBeLessThanOrEqual(TOL);
};

describe('tiny pack vs the PyTorch golden vectors (CPU, fp32)', () => {
  let pack: ModelPack;
  beforeAll(() => {
    pack = ModelPack.open(TINY_PACK, { device: 'cpu', intraOpThreads: 1 });
  });
  afterAll(async () => {
    await pack.close();
    console.log(`parity (tolerance ${TOL}):\n  ${report.join('\n  ')}`);
  });

  it('clip_image', async () => {
    const c = idx.cases.clip_image!;
    const px = readGolden(c.inputs.pixel_values!);
    const got = await clipImageEmbeds(pack, f32(px), px.shape[0]!);
    within('clip_image.image_embeds', got, f32(readGolden(c.outputs.image_embeds!)));
  });

  it('rhythm_predictor', async () => {
    const c = idx.cases.rhythm_predictor!;
    const cf = readGolden(c.inputs.clip_features!);
    const got = await predictOdf(pack, {
      batch: cf.shape[0]!, seconds: cf.shape[1]!, clipFeatures: f32(cf),
      classLabel: ints(readGolden(c.inputs.class_label!)), sceneCut: ints(readGolden(c.inputs.scene_cut!)),
      pseudoBeat: f32(readGolden(c.inputs.pseudo_beat!)),
    });
    within('rhythm_predictor.odf_lr', got, f32(readGolden(c.outputs.odf_lr!)));
  });

  it('dit (one call, mixed cond/uncond batch)', async () => {
    const c = idx.cases.dit!;
    const g = (k: string) => readGolden(c.inputs[k]!);
    const x = g('x'), cf = g('clip_features');
    const [b, s] = [cf.shape[0]!, cf.shape[1]!];
    const ch = x.shape[1]!, len = x.shape[2]!;
    const out = await pack.run('dit', {
      x: tensor(f32(x), [b, ch, len]), t: tensor(f32(g('t')), [b]), clip_features: tensor(f32(cf), cf.shape),
      rhythm: tensor(f32(g('rhythm')), [b, s]), feature_mask: tensor(f32(g('feature_mask')), [b, s]),
      seconds_start: tensor(f32(g('seconds_start')), [b]), seconds_total: tensor(f32(g('seconds_total')), [b]),
      class_label: tensor(g('class_label').data as BigInt64Array, [b]), uncond: tensor(f32(g('uncond')), [b]),
    });
    within('dit.v', out.v!.data, f32(readGolden(c.outputs.v!)));
  });

  it('vae_decoder', async () => {
    const c = idx.cases.vae_decoder!;
    const lat = readGolden(c.inputs.latents!);
    const { audio } = await decodeLatents(pack, f32(lat), lat.shape[0]!);
    within('vae_decoder.audio', audio, f32(readGolden(c.outputs.audio!)));
  });

  it(`the full ${idx.sampler.steps}-step CFG sampler: rhythm predictor → v-DDIM → VAE`, async () => {
    const S = idx.sampler;
    const g = (k: string) => readGolden(S.inputs[k]!);
    const sched = vddimSchedule(S.steps);
    within('sampler.schedule.t', sched.t, f32(readGolden(S.schedule.t!)));
    within('sampler.schedule.alpha', sched.alpha, f32(readGolden(S.schedule.alpha!)));
    within('sampler.schedule.sigma', sched.sigma, f32(readGolden(S.schedule.sigma!)));
    const cf = g('clip_features');
    const [b, s] = [cf.shape[0]!, cf.shape[1]!];
    const cls = ints(g('class_label'));
    const odf = await predictOdf(pack, { batch: b, seconds: s, clipFeatures: f32(cf), classLabel: cls, sceneCut: ints(g('scene_cut')), pseudoBeat: f32(g('pseudo_beat')) });
    within('sampler.odf_lr', odf, f32(readGolden(S.outputs.odf_lr!)));
    const denoise = ditDenoiser(pack, {
      batch: b, seconds: s, clipFeatures: f32(cf), rhythm: odf, featureMask: f32(g('feature_mask')),
      secondsStart: f32(g('seconds_start')), secondsTotal: f32(g('seconds_total')), classLabel: cls,
    });
    const noise = f32(g('noise'));
    const perStep = f32(readGolden(S.outputs.x_per_step!));
    let worstStep = 0;
    const steps: number[] = [];
    const latent = await sampleVddim(denoise, {
      noise, batch: b, steps: S.steps, cfgScale: S.cfg_scale,
      onStepInput: (i, x) => { worstStep = Math.max(worstStep, maxAbsDiff(x, perStep.subarray(i * x.length, (i + 1) * x.length))); },
      onProgress: (p) => steps.push(p.step),
    });
    expect(steps).toEqual(Array.from({ length: S.steps }, (_, i) => i + 1));
    report.push(`${'sampler.x_per_step (worst step)'.padEnd(34)} max |Δ| = ${worstStep.toExponential(3)}`);
    expect(worstStep).toBeLessThanOrEqual(TOL);
    within('sampler.latent', latent, f32(readGolden(S.outputs.latent!)));
    const { audio } = await decodeLatents(pack, latent, b);
    within('sampler.audio', audio, f32(readGolden(S.outputs.audio!)));
  });

  it('reports the CPU provider for every session it opened', () => {
    const infos = pack.sessions();
    expect(infos.map((i) => i.model).sort()).toEqual(['clip_image', 'dit', 'rhythm_predictor', 'vae_decoder']);
    for (const i of infos) expect([i.provider, i.precision]).toEqual(['cpu', 'fp32']);
  });
});
