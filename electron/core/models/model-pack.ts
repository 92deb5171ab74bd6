import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { MODEL_NAMES, packFiles, readManifest, type ModelName, type PackManifest } from './manifest.ts';
import { checkDeclaredIo, openSession, releaseSession, runSession, type ProviderReport } from './onnx-session.ts';
import { checkFileSize, verifyFile } from './pack-verify.ts';
import { choosePrecision, resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeOptions } from './session-options.ts';
import type { HostTensor } from './tensor.ts';

interface LiveSession {
  session: InferenceSession;
  report: ProviderReport;
  precision: 'fp32' | 'fp16';
  lastUsed: number;
  busy: number;
}

export interface SessionInfo extends ProviderReport {
  model: ModelName;
  precision: 'fp32' | 'fp16';
  file: string;
}

/**
 * An installed model pack: manifest checked and every file's size checked on open; a model's
 * file is hashed against the manifest and its declared inputs/outputs compared with the graph
 * before its session is first used. Sessions open lazily and are released when idle.
 */
export class ModelPack {
  readonly options: ResolvedRuntimeOptions;
  private readonly live = new Map<ModelName, LiveSession>();
  private readonly opening = new Map<ModelName, Promise<LiveSession>>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(readonly dir: string, readonly manifest: PackManifest, options: RuntimeOptions) {
    this.options = resolveRuntimeOptions(options);
  }

  static open(dir: string, options: RuntimeOptions = {}): ModelPack {
    const abs = path.resolve(dir);
    const m = readManifest(abs);
    for (const e of packFiles(m)) checkFileSize(abs, e);
    return new ModelPack(abs, m, options);
  }

  get name(): string {
    return this.manifest.name;
  }

  /** The provider report of each open session. */
  sessions(): SessionInfo[] {
    return [...this.live.entries()].map(([model, s]) => ({ model, precision: s.precision, file: this.fileOf(model, s.precision), ...s.report }));
  }

  private fileOf(model: ModelName, precision: 'fp32' | 'fp16'): string {
    const f = this.manifest.models[model].files;
    return (precision === 'fp16' && f.fp16 ? f.fp16 : f.fp32).path;
  }

  private async openModel(model: ModelName, signal?: AbortSignal): Promise<LiveSession> {
    const entry = this.manifest.models[model];
    const label = `${model} (${this.manifest.name})`;
    const picked: { precision: 'fp32' | 'fp16' } = { precision: 'fp32' };
    const pick = (p: 'cuda' | 'cpu') => (picked.precision = choosePrecision(p, this.options.precision, !!entry.files.fp16));
    // The file depends on the provider; hash each candidate before any session sees it
    // (CPU-only runs never touch the fp16 file).
    const cpuPrecision = choosePrecision('cpu', this.options.precision, !!entry.files.fp16);
    const cudaPrecision = choosePrecision('cuda', this.options.precision, !!entry.files.fp16);
    const candidates = this.options.device === 'cpu' ? [cpuPrecision] : [...new Set([cudaPrecision, cpuPrecision])];
    for (const p of candidates) {
      const f = entry.files[p]!;
      await verifyFile(this.dir, f, { signal });
      for (const x of f.external_data) await verifyFile(this.dir, { ...x, external_data: [] }, { signal });
    }
    signal?.throwIfAborted();
    const { session, report } = await openSession((p) => path.join(this.dir, this.fileOf(model, pick(p))), this.options, label);
    try {
      checkDeclaredIo(session, entry, label);
    } catch (e) {
      await releaseSession(session);
      throw e;
    }
    return { session, report, precision: picked.precision, lastUsed: Date.now(), busy: 0 };
  }

  /** Opens (once) the session of one model; resolves to its provider report. */
  async load(model: ModelName, signal?: AbortSignal): Promise<SessionInfo> {
    const s = await this.acquire(model, signal);
    s.busy--;
    return { model, precision: s.precision, file: this.fileOf(model, s.precision), ...s.report };
  }

  private async acquire(model: ModelName, signal?: AbortSignal): Promise<LiveSession> {
    if (this.closed) throw new Error('This model pack was closed.');
    if (!MODEL_NAMES.includes(model)) throw new RangeError(`Unknown model ${model}.`);
    let s = this.live.get(model);
    if (!s) {
      let p = this.opening.get(model);
      if (!p) {
        p = this.openModel(model, signal);
        this.opening.set(model, p);
      }
      try {
        s = await p;
      } finally {
        this.opening.delete(model);
      }
      if (this.closed) {
        await releaseSession(s.session);
        throw new Error('This model pack was closed.');
      }
      this.live.set(model, s);
      this.armIdleTimer();
    }
    s.busy++;
    s.lastUsed = Date.now();
    return s;
  }

  /** One inference call of a model of the pack (outputs in `into` are written in place). */
  async run(
    model: ModelName,
    feeds: Record<string, HostTensor>,
    signal?: AbortSignal,
    into?: Record<string, HostTensor<Float32Array>>,
  ): Promise<Record<string, HostTensor<Float32Array>>> {
    const s = await this.acquire(model, signal);
    try {
      signal?.throwIfAborted();
      return await runSession(s.session, feeds, into);
    } finally {
      s.busy--;
      s.lastUsed = Date.now();
    }
  }

  private armIdleTimer(): void {
    if (this.timer || this.options.idleDisposeMs <= 0) return;
    const every = Math.max(10, Math.min(this.options.idleDisposeMs, 30_000));
    this.timer = setInterval(() => void this.disposeIdle(), every);
    this.timer.unref();
  }

  /** Releases sessions unused for the idle time (called by the timer; callable directly). */
  async disposeIdle(now = Date.now()): Promise<ModelName[]> {
    const gone: ModelName[] = [];
    for (const [model, s] of this.live) {
      if (s.busy === 0 && now - s.lastUsed >= this.options.idleDisposeMs) {
        this.live.delete(model);
        gone.push(model);
        await releaseSession(s.session);
      }
    }
    if (this.live.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    return gone;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const all = [...this.live.values()];
    this.live.clear();
    for (const s of all) await releaseSession(s.session);
  }
}
