import * as ort from 'onnxruntime-node';
import type { TensorSpec } from './manifest.ts';
import { PackError } from './pack-error.ts';
import type { ProviderName, ResolvedRuntimeOptions } from './session-options.ts';
import type { HostTensor, TensorData } from './tensor.ts';

/** Which execution provider a session runs on, and why it is not the one asked for. */
export interface ProviderReport {
  provider: ProviderName;
  requested: ResolvedRuntimeOptions['device'];
  deviceId: number | null;
  /** Why CUDA was not used, when it was asked for (auto or cuda) and could not start. */
  fallbackReason: string | null;
  /** Options that were asked for but cannot be applied on this provider. */
  notes: string[];
}

// onnxruntime logs a failed CUDA load as an error on stderr even though the fallback is expected;
// failures reach the user as exceptions with a message instead. V2M_ORT_LOG=verbose… restores it.
ort.env.logLevel = (process.env.V2M_ORT_LOG as typeof ort.env.logLevel) || 'fatal';

// One CUDA attempt per device per process: when it failed once it fails again, and every
// attempt costs a library load and a log line.
const cudaFailures = new Map<number, string>();

export function cudaFailure(deviceId: number): string | undefined {
  return cudaFailures.get(deviceId);
}

function sessionOptions(o: ResolvedRuntimeOptions, providers: ort.InferenceSession.ExecutionProviderConfig[]): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    graphOptimizationLevel: o.graphOptimization,
    intraOpNumThreads: o.intraOpThreads,
    interOpNumThreads: o.interOpThreads,
    executionMode: o.interOpThreads > 1 ? 'parallel' : 'sequential',
    enableCpuMemArena: o.arenaLimitBytes !== 0,
    logSeverityLevel: 3,
  };
}

function shortReason(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/Failed to load shared library|cannot open shared object|libonnxruntime_providers_(cuda|shared)/i.test(m)) {
    return 'the CUDA execution provider is not installed (npm run gpu:cuda installs it; it needs an NVIDIA driver, CUDA 12 and cuDNN 9)';
  }
  if (/no CUDA-capable device|CUDA failure 100|cudaErrorNoDevice/i.test(m)) return 'no CUDA-capable GPU was found';
  return m.split('\n')[0]!.slice(0, 300);
}

export interface CreatedSession {
  session: ort.InferenceSession;
  report: ProviderReport;
}

/**
 * Opens one ONNX file with CUDA first and the CPU on failure (device 'auto'), or on the one
 * provider asked for. `fileFor(provider)` picks the fp16 or fp32 file for that provider.
 */
export async function openSession(fileFor: (p: ProviderName) => string, o: ResolvedRuntimeOptions, label: string): Promise<CreatedSession> {
  const notes: string[] = [];
  let fallbackReason: string | null = null;
  if (o.device !== 'cpu') {
    const known = cudaFailures.get(o.deviceId);
    if (known === undefined) {
      try {
        const session = await ort.InferenceSession.create(fileFor('cuda'), sessionOptions(o, [{ name: 'cuda', deviceId: o.deviceId }, 'cpu']));
        if (o.arenaLimitBytes !== null) notes.push('onnxruntime-node passes only the device id to the CUDA provider; the arena limit is not applied on the GPU.');
        return { session, report: { provider: 'cuda', requested: o.device, deviceId: o.deviceId, fallbackReason: null, notes } };
      } catch (e) {
        fallbackReason = shortReason(e);
        // A broken model file fails on every provider: say so rather than blaming CUDA.
        if (/protobuf|invalid model|ModelProto|Load model.*failed/i.test((e as Error).message)) throw loadError(label, e);
        cudaFailures.set(o.deviceId, fallbackReason);
      }
    } else fallbackReason = known;
    // An explicit request never falls back silently: the user asked for the GPU and must learn why not.
    if (o.device === 'cuda') throw new PackError('RUNTIME', `CUDA was required for ${label} but cannot start: ${fallbackReason}. Choose device auto to fall back to the CPU, or cpu.`);
  }
  try {
    const session = await ort.InferenceSession.create(fileFor('cpu'), sessionOptions(o, ['cpu']));
    return { session, report: { provider: 'cpu', requested: o.device, deviceId: null, fallbackReason, notes } };
  } catch (e) {
    throw loadError(label, e);
  }
}

function loadError(label: string, e: unknown): PackError {
  return new PackError('RUNTIME', `onnxruntime cannot load ${label}: ${(e as Error).message.split('\n')[0]}. The file may be damaged or from an incompatible exporter; verify or reinstall the pack.`);
}

/** The declared inputs and outputs (manifest) against what the ONNX graph actually has. */
export function checkDeclaredIo(session: ort.InferenceSession, declared: { inputs: TensorSpec[]; outputs: TensorSpec[] }, label: string): void {
  const check = (kind: 'input' | 'output', specs: TensorSpec[], meta: readonly ort.InferenceSession.ValueMetadata[]) => {
    const names = meta.map((m) => m.name);
    const want = specs.map((s) => s.name);
    const missing = want.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !want.includes(n));
    if (missing.length || extra.length) {
      throw new PackError('MISMATCH', `${label} does not match its manifest: ${kind}s ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `undeclared ${extra.join(', ')}` : ''}. The model file and manifest.json come from different exports.`);
    }
    for (const s of specs) {
      const m = meta.find((x) => x.name === s.name)!;
      if (!m.isTensor) throw new PackError('MISMATCH', `${label}: ${kind} ${s.name} is not a tensor.`);
      if (m.type !== s.dtype) throw new PackError('MISMATCH', `${label}: ${kind} ${s.name} is ${m.type} in the model but ${s.dtype} in the manifest.`);
      const shape = m.shape;
      const bad = shape.length !== s.shape.length || s.shape.some((d, i) => typeof d === 'number' && typeof shape[i] === 'number' && shape[i] !== d);
      if (bad) throw new PackError('MISMATCH', `${label}: ${kind} ${s.name} has shape [${shape.join(', ')}] in the model but [${s.shape.join(', ')}] in the manifest.`);
    }
  };
  check('input', declared.inputs, session.inputMetadata);
  check('output', declared.outputs, session.outputMetadata);
}

const ORT_TYPE = new Map<string, ort.Tensor.Type>([
  ['Float32Array', 'float32'], ['BigInt64Array', 'int64'], ['Int32Array', 'int32'], ['Uint8Array', 'bool'],
]);

const toOrt = (t: HostTensor) => new ort.Tensor(ORT_TYPE.get(t.data.constructor.name)! as 'float32', t.data as Float32Array, t.dims);

/**
 * Runs a session on host tensors; outputs come back as float32 host tensors. Outputs given in
 * `into` are preallocated: onnxruntime writes into those buffers, so a sampler loop does not
 * allocate a new output every step.
 */
export async function runSession(
  session: ort.InferenceSession,
  feeds: Record<string, HostTensor>,
  into?: Record<string, HostTensor<Float32Array>>,
): Promise<Record<string, HostTensor<Float32Array>>> {
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) inputs[name] = toOrt(t);
  let out: ort.InferenceSession.OnnxValueMapType;
  if (into) {
    const fetches: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(into)) fetches[name] = toOrt(t);
    out = await session.run(inputs, fetches);
  } else out = await session.run(inputs);
  const result: Record<string, HostTensor<Float32Array>> = {};
  for (const [name, t] of Object.entries(out)) {
    const given = into?.[name];
    if (given) {
      result[name] = given;
      continue;
    }
    const data = t.data as TensorData;
    result[name] = { data: data instanceof Float32Array ? data : Float32Array.from(data as unknown as ArrayLike<number>), dims: [...t.dims] };
    t.dispose();
  }
  return result;
}

export async function releaseSession(session: ort.InferenceSession): Promise<void> {
  await session.release();
}
