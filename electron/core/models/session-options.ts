import os from 'node:os';

export type DevicePreference = 'auto' | 'cuda' | 'cpu';
export type ProviderName = 'cuda' | 'cpu';
export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

/** How sessions are created; every field has a sensible default. */
export interface RuntimeOptions {
  /** 'auto' (default): CUDA first, CPU when CUDA cannot start. 'cuda': fail without CUDA. */
  device?: DevicePreference;
  /** CUDA device ordinal (default 0, or V2M_CUDA_DEVICE). */
  deviceId?: number;
  /**
   * Memory arena limit in bytes. 0 turns the CPU arena off (lowest resident memory); onnxruntime-node
   * passes only the device id to the CUDA provider, so on the GPU this is reported, not applied.
   */
  arenaLimitBytes?: number | null;
  /** Threads inside one operator (default: the CPU count, at most 8). */
  intraOpThreads?: number;
  /** Threads across operators (default 1: sequential execution). */
  interOpThreads?: number;
  graphOptimization?: GraphOptimization;
  /** 'auto' (default): fp16 files on CUDA when the pack has them, fp32 on the CPU. */
  precision?: 'auto' | 'fp32' | 'fp16';
  /** Sessions unused this long are disposed (default 5 minutes). */
  idleDisposeMs?: number;
}

export interface ResolvedRuntimeOptions {
  device: DevicePreference;
  deviceId: number;
  arenaLimitBytes: number | null;
  intraOpThreads: number;
  interOpThreads: number;
  graphOptimization: GraphOptimization;
  precision: 'auto' | 'fp32' | 'fp16';
  idleDisposeMs: number;
}

function wholeAtLeast(v: number | undefined, min: number, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${what} must be a whole number ≥ ${min}, got ${v}.`);
  return v;
}

export function resolveRuntimeOptions(o: RuntimeOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedRuntimeOptions {
  const envDevice = env.V2M_CUDA_DEVICE !== undefined ? Number(env.V2M_CUDA_DEVICE) : undefined;
  const device = o.device ?? ((env.V2M_ONNX_DEVICE as DevicePreference | undefined) || 'auto');
  if (!['auto', 'cuda', 'cpu'].includes(device)) throw new RangeError(`The device must be auto, cuda or cpu, got ${device}.`);
  const precision = o.precision ?? 'auto';
  if (!['auto', 'fp32', 'fp16'].includes(precision)) throw new RangeError(`The precision must be auto, fp32 or fp16, got ${precision}.`);
  const arena = o.arenaLimitBytes ?? null;
  if (arena !== null) wholeAtLeast(arena, 0, 'The arena limit');
  return {
    device,
    deviceId: wholeAtLeast(o.deviceId ?? envDevice, 0, 'The CUDA device id') ?? 0,
    arenaLimitBytes: arena,
    intraOpThreads: wholeAtLeast(o.intraOpThreads, 1, 'intraOpThreads') ?? Math.max(1, Math.min(8, os.availableParallelism())),
    interOpThreads: wholeAtLeast(o.interOpThreads, 1, 'interOpThreads') ?? 1,
    graphOptimization: o.graphOptimization ?? 'all',
    precision,
    idleDisposeMs: wholeAtLeast(o.idleDisposeMs, 0, 'idleDisposeMs') ?? 5 * 60_000,
  };
}

/** fp16 on a GPU when the pack has it (or when asked), fp32 otherwise. */
export function choosePrecision(provider: ProviderName, wanted: ResolvedRuntimeOptions['precision'], hasFp16: boolean): 'fp32' | 'fp16' {
  if (wanted === 'fp32' || !hasFp16) return 'fp32';
  if (wanted === 'fp16') return 'fp16';
  return provider === 'cuda' ? 'fp16' : 'fp32';
}
