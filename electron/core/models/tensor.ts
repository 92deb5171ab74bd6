/** Plain typed-array tensors, so nothing outside core/models sees onnxruntime's types. */
export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array;

export interface HostTensor<D extends TensorData = TensorData> {
  data: D;
  dims: number[];
}

export function tensor<D extends TensorData>(data: D, dims: number[]): HostTensor<D> {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new RangeError(`A tensor of shape [${dims.join(', ')}] needs ${n} values, got ${data.length}.`);
  return { data, dims };
}

export function int64(values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(Math.trunc(values[i]!));
  return out;
}

/** Largest absolute element-wise difference (NaN anywhere gives NaN). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`Length ${a.length} ≠ ${b.length}.`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = d;
  }
  return m;
}
