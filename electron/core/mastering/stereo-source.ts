import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Interleaved stereo float frames the mastering reads in chunks, as often as it needs to: from
 * memory (a neural decode, a remix) or from a raw file in the scratch folder (a long synthesis
 * that must not sit in memory). `read` returns a fresh array the caller may scale in place.
 */
export interface StereoSource {
  readonly frames: number;
  read(start: number, frames: number): Float32Array;
}

export function memorySource(stereo: Float32Array): StereoSource {
  if (stereo.length % 2) throw new RangeError('Interleaved stereo needs an even number of samples.');
  return { frames: stereo.length / 2, read: (start, n) => stereo.slice(2 * start, 2 * Math.min(stereo.length / 2, start + n)) };
}

/** Raw float32 stereo appended to a file, then read back as a source. `close()` releases it. */
export class RawStereoFile implements StereoSource {
  private fd: number | null;
  private written = 0;

  /** A new file to append to, or (`existing`) one another thread wrote, to read. */
  constructor(readonly file: string, opts: { existing?: boolean } = {}) {
    this.fd = openSync(file, opts.existing ? 'r' : 'w+');
    if (opts.existing) this.written = Math.floor(fstatSync(this.fd).size / 8);
  }

  get frames(): number {
    return this.written;
  }

  append(interleaved: Float32Array): void {
    writeSync(this.handle(), new Uint8Array(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength), 0, interleaved.byteLength, this.written * 8);
    this.written += interleaved.length / 2;
  }

  read(start: number, frames: number): Float32Array {
    const n = Math.max(0, Math.min(frames, this.written - start));
    const buf = Buffer.allocUnsafeSlow(n * 8); // its own memory, not the pool; only the bytes read are returned
    const got = readSync(this.handle(), buf, 0, buf.length, start * 8);
    return new Float32Array(buf.buffer, buf.byteOffset, got / 4);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private handle(): number {
    if (this.fd === null) throw new Error(`The raw audio file ${this.file} is already closed.`);
    return this.fd;
  }
}

/** Several sources heard together (parts rendered by separate synthesizers): their sample sum. */
export function sumSource(parts: readonly StereoSource[]): StereoSource {
  if (parts.length === 1) return parts[0]!;
  const frames = Math.min(...parts.map((p) => p.frames));
  return {
    frames,
    read(start, n) {
      const out = parts[0]!.read(start, Math.min(n, frames - start));
      for (let k = 1; k < parts.length; k++) {
        const x = parts[k]!.read(start, out.length / 2);
        for (let i = 0; i < out.length; i++) out[i] += x[i]!;
      }
      return out;
    },
  };
}
