import { closeSync, openSync, readSync, rmSync, writeSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDir } from '../scratch/index.ts';
import { onsetStrengthFromSpectrogram } from './onset-strength.ts';

const AMIN = 1e-10;
const TOP_DB = 80;

export interface TemEnvelopeOptions {
  bins: number;
  nFft: number;
  hopLength: number;
  /** Rows kept in memory; beyond that every row goes to a temporary file. */
  memoryRows: number;
  /** Where the temporary file goes (default: the OS temp folder). */
  tempDir?: string;
}

/**
 * The hop-128 onset envelope behind Tem_LR, for audio of any length. librosa floors the mel dB
 * at (global max − 80 dB), so no value is final until the last frame: rows are kept in memory
 * up to `memoryRows` and spilled to a temporary file after that, then read back in chunks once
 * the maximum is known. The result equals onset_strength over the whole matrix, element for
 * element, while memory stays at one chunk plus the envelope itself.
 */
export class TemEnvelopeBuilder {
  private mem: Float32Array;
  private memRows = 0;
  private rows = 0;
  private maxPower = 0;
  private file: { dir: string; path: string; fd: number } | null = null;

  constructor(private readonly o: TemEnvelopeOptions) {
    this.mem = new Float32Array(o.bins * Math.min(o.memoryRows, 4096));
  }

  get frames(): number {
    return this.rows;
  }

  /** True once rows went to disk (for notes and tests). */
  get spilled(): boolean {
    return this.file !== null;
  }

  pushRow(power: Float32Array): void {
    const { bins } = this.o;
    for (let i = 0; i < bins; i++) if (power[i]! > this.maxPower) this.maxPower = power[i]!;
    if (!this.file && this.memRows >= this.o.memoryRows) this.spill();
    if (this.file) {
      writeAll(this.file.fd, power.subarray(0, bins));
    } else {
      if ((this.memRows + 1) * bins > this.mem.length) {
        const grown = new Float32Array(Math.min(this.o.memoryRows * bins, Math.max((this.memRows + 1) * bins, this.mem.length * 2)));
        grown.set(this.mem.subarray(0, this.memRows * bins));
        this.mem = grown;
      }
      this.mem.set(power.subarray(0, bins), this.memRows * bins);
      this.memRows++;
    }
    this.rows++;
  }

  private spill(): void {
    const dir = this.o.tempDir ? mkdtempSync(path.join(this.o.tempDir, 'v2m-temlr-')) : makeScratchDir('temlr-');
    const file = path.join(dir, 'mel128.f32');
    this.file = { dir, path: file, fd: openSync(file, 'w+') };
    writeAll(this.file.fd, this.mem.subarray(0, this.memRows * this.o.bins));
    this.mem = new Float32Array(0);
    this.memRows = 0;
  }

  /** The envelope (one value per row), then frees memory and the temporary file. */
  finish(chunkRows = 8192): Float32Array {
    const { bins, nFft, hopLength } = this.o;
    const frames = this.rows;
    const env = new Float32Array(frames);
    // Same rounding as powerToDbInPlace on a Float32Array: the max of the rounded values.
    const maxDb = Math.fround(10 * Math.log10(Math.max(AMIN, this.maxPower)));
    const floor = Math.fround(maxDb - TOP_DB);
    const pad = 1 + Math.floor(nFft / (2 * hopLength));
    const chunk = new Float32Array((chunkRows + 1) * bins);
    try {
      // Each chunk carries the previous chunk's last row, the lag-1 reference of its first row.
      for (let start = 0; start < frames; start += chunkRows) {
        const first = Math.max(0, start - 1);
        const end = Math.min(frames, start + chunkRows);
        const n = end - first;
        const view = chunk.subarray(0, n * bins);
        this.readRows(first, n, view);
        for (let i = 0; i < view.length; i++) {
          const db = Math.fround(10 * Math.log10(Math.max(AMIN, view[i]!)));
          view[i] = db < floor ? floor : db;
        }
        // Uncentred, lag 1: out[k] is the onset between rows first+k−1 and first+k.
        const out = onsetStrengthFromSpectrogram({ data: view, bins, frames: n }, { lag: 1, maxSize: 1, center: false, nFft, hopLength });
        for (let t = Math.max(1, start); t < end; t++) {
          const at = t - 1 + pad;
          if (at < frames) env[at] = out[t - first]!;
        }
      }
    } finally {
      this.dispose();
    }
    return env;
  }

  private readRows(first: number, n: number, into: Float32Array): void {
    const { bins } = this.o;
    if (!this.file) {
      into.set(this.mem.subarray(first * bins, (first + n) * bins));
      return;
    }
    const bytes = new Uint8Array(into.buffer, into.byteOffset, n * bins * 4);
    let done = 0;
    while (done < bytes.length) {
      const r = readSync(this.file.fd, bytes, done, bytes.length - done, first * bins * 4 + done);
      if (r <= 0) throw new Error(`The temporary Tem_LR file ${this.file.path} ended early (disk full or removed?).`);
      done += r;
    }
  }

  /** Frees memory and removes the temporary file (safe to call twice). */
  dispose(): void {
    if (this.file) {
      closeSync(this.file.fd);
      rmSync(this.file.dir, { recursive: true, force: true });
      this.file = null;
    }
    this.mem = new Float32Array(0);
  }
}

function writeAll(fd: number, data: Float32Array): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}
