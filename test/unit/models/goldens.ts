import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed tiny pack and its PyTorch golden vectors (native-models/fixtures/tiny). */
export const TINY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../native-models/fixtures/tiny');
export const TINY_PACK = path.join(TINY_ROOT, 'pack');
export const TINY_GOLDENS = path.join(TINY_ROOT, 'goldens');

interface TensorRef {
  file: string;
  dtype: 'float32' | 'int64';
  shape: number[];
}

interface GoldenCase {
  graph: string;
  inputs: Record<string, TensorRef>;
  outputs: Record<string, TensorRef>;
}

export interface GoldenIndex {
  tolerance_fp32: number;
  cases: Record<string, GoldenCase>;
  sampler: { steps: number; cfg_scale: number; inputs: Record<string, TensorRef>; outputs: Record<string, TensorRef>; schedule: Record<string, TensorRef> };
}

export function goldenIndex(): GoldenIndex {
  return JSON.parse(readFileSync(path.join(TINY_GOLDENS, 'goldens.json'), 'utf8')) as GoldenIndex;
}

export interface Golden {
  data: Float32Array | BigInt64Array;
  shape: number[];
}

/** One little-endian tensor file, checked against its declared shape. */
export function readGolden(ref: TensorRef): Golden {
  const buf = readFileSync(path.join(TINY_GOLDENS, ref.file));
  const n = ref.shape.reduce((a, b) => a * b, 1);
  const bytes = ref.dtype === 'int64' ? 8 : 4;
  if (buf.length !== n * bytes) throw new Error(`${ref.file}: ${buf.length} bytes for shape [${ref.shape}] ${ref.dtype}`);
  const copy = new Uint8Array(buf).buffer;
  return { data: ref.dtype === 'int64' ? new BigInt64Array(copy) : new Float32Array(copy), shape: ref.shape };
}

export function f32(g: Golden): Float32Array {
  if (!(g.data instanceof Float32Array)) throw new Error('expected float32');
  return g.data;
}

export function ints(g: Golden): number[] {
  return Array.from(g.data as BigInt64Array, (v) => Number(v));
}
