import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PackError } from './pack-error.ts';
import { fsErrorWords } from '../files/fs-error-words.ts';

export const MANIFEST_FILE = 'manifest.json';
export const PACK_FORMAT = 'v2m-model-pack';
export const SUPPORTED_FORMAT_VERSION = 1;
export const MODEL_NAMES = ['clip_image', 'rhythm_predictor', 'dit', 'vae_decoder'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export type Precision = 'fp32' | 'fp16';
export type TensorDtype = 'float32' | 'float16' | 'int64' | 'int32' | 'bool';

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lowercase hex sha256');
const relPath = z.string().min(1).refine((p) => !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..'), 'a path inside the pack');
const fileEntry = z.object({
  path: relPath,
  bytes: z.number().int().nonnegative(),
  sha256: sha,
  external_data: z.array(z.object({ path: relPath, bytes: z.number().int().nonnegative(), sha256: sha })).default([]),
});
const tensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'float16', 'int64', 'int32', 'bool']),
  shape: z.array(z.union([z.number().int().nonnegative(), z.string().min(1)])),
});
const modelEntry = z.object({
  files: z.object({ fp32: fileEntry, fp16: fileEntry.optional() }),
  inputs: z.array(tensorSpec).min(1),
  outputs: z.array(tensorSpec).min(1),
});
const clipRecipe = z.object({
  resize: z.object({ short_side: z.number().int().positive(), interpolation: z.string() }),
  center_crop: z.number().int().positive(),
  pixel_scale: z.number().positive(),
  mean: z.array(z.number()).length(3),
  std: z.array(z.number().positive()).length(3),
  layout: z.string(),
  l2_normalize: z.boolean().default(false),
  dim: z.number().int().positive(),
}).loose();

export const manifestSchema = z.object({
  format: z.literal(PACK_FORMAT),
  format_version: z.number().int(),
  name: z.string().min(1),
  version: z.string().optional(),
  opset: z.number().int().optional(),
  audio: z.object({
    sample_rate: z.number().int().positive(),
    channels: z.number().int().positive(),
    sample_size: z.number().int().positive(),
    latent_channels: z.number().int().positive(),
    downsampling_ratio: z.number().int().positive(),
    latent_length: z.number().int().positive(),
  }).loose(),
  conditioning: z.object({
    max_seconds: z.number().int().positive(),
    clip_dim: z.number().int().positive(),
    clip_image_size: z.number().int().positive(),
    class_labels: z.array(z.number().int()).min(1),
  }).loose(),
  models: z.object({ clip_image: modelEntry, rhythm_predictor: modelEntry, dit: modelEntry, vae_decoder: modelEntry }).loose(),
  feature_recipes: z.object({ clip: clipRecipe }).loose(),
  sampler: z.object({
    type: z.literal('v-ddim'),
    objective: z.literal('v'),
    steps: z.number().int().positive(),
    cfg_scale: z.number(),
    eta: z.literal(0),
    sigma_max: z.number().positive().max(1).default(1),
  }).loose(),
  licence: z.record(z.string(), z.string()).optional(),
}).loose();

export type PackManifest = z.infer<typeof manifestSchema>;
export type ModelEntry = z.infer<typeof modelEntry>;
export type FileEntry = z.infer<typeof fileEntry>;
export type TensorSpec = z.infer<typeof tensorSpec>;
export type ClipRecipe = z.infer<typeof clipRecipe>;

/** Checks a parsed manifest.json; throws PackError naming the first problem. */
export function parseManifest(json: unknown, where = 'manifest.json'): PackManifest {
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new PackError('BAD_MANIFEST', `${where} is not a valid model-pack manifest: ${issue.path.join('.') || 'the root'}: ${issue.message}.`);
  }
  const m = r.data;
  if (m.format_version !== SUPPORTED_FORMAT_VERSION) {
    throw new PackError('UNSUPPORTED', `${where} uses pack format version ${m.format_version}; this app reads version ${SUPPORTED_FORMAT_VERSION}. Update the app or re-export the pack.`);
  }
  const lat = m.audio.sample_size / m.audio.downsampling_ratio;
  if (Math.floor(lat) !== m.audio.latent_length) {
    throw new PackError('BAD_MANIFEST', `${where}: latent_length ${m.audio.latent_length} does not match sample_size ${m.audio.sample_size} / downsampling_ratio ${m.audio.downsampling_ratio}.`);
  }
  return m;
}

/** Reads and checks `<dir>/manifest.json`. */
export function readManifest(dir: string): PackManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PackError('NOT_FOUND', code === 'ENOENT' ? `${dir} is not a model pack: it has no ${MANIFEST_FILE}.` : `Cannot read ${file}: ${fsErrorWords(e)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PackError('BAD_MANIFEST', `${file} is not valid JSON (${(e as Error).message}); the pack is damaged — install it again.`);
  }
  return parseManifest(json, file);
}

/**
 * A pack exported with random weights (the tests' tiny pack, `export --random-weights`) runs
 * but makes noise, so the app must say so. The exporters mark it in `source` or `licence`.
 */
export function hasRandomWeights(m: Pick<PackManifest, 'licence'> & { source?: unknown }): boolean {
  const source = m.source;
  const said = (v: unknown): boolean => typeof v === 'string' && /\brandom\b/i.test(v);
  if (source && typeof source === 'object') {
    const s = source as Record<string, unknown>;
    if (s.random_weights === true || said(s.note)) return true;
  }
  return said(m.licence?.weights);
}

/** Every file a pack's manifest lists (model files of both precisions and their external data). */
export function packFiles(m: PackManifest): FileEntry[] {
  const out: FileEntry[] = [];
  for (const name of MODEL_NAMES) {
    const f = m.models[name].files;
    for (const e of [f.fp32, f.fp16]) {
      if (!e) continue;
      out.push(e);
      for (const x of e.external_data) out.push({ ...x, external_data: [] });
    }
  }
  return out;
}
