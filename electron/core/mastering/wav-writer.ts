import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { commitTempFile, tempPathFor } from '../files/atomic-write.ts';
import { writeError } from '../files/write-error.ts';

/** 44-byte RIFF/WAVE header for 24-bit PCM. */
export function wavHeader(sampleRate: number, channels: number, frames: number): Buffer {
  const bytesPerSample = 3;
  const dataBytes = frames * channels * bytesPerSample;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  h.writeUInt16LE(channels * bytesPerSample, 32);
  h.writeUInt16LE(bytesPerSample * 8, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Float → signed 24-bit: rounded half up (as Math.round), clamped, NaN → 0. */
function pcm24(x: number): number {
  let y = x * 8388607;
  y = y > 8388607 ? 8388607 : y >= -8388608 ? y : y < 0 ? -8388608 : 0;
  return ((y + 8388608.5) | 0) - 8388608; // the offset makes |0 a floor; Math.round is slower here
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Float → signed 24-bit little-endian into `out` (at least 3 bytes a sample), returning the bytes
 * written. Four samples pack into three 32-bit words where the platform and alignment allow.
 */
export function encodePcm24Into(samples: Float32Array, out: Uint8Array): number {
  const n = samples.length;
  if (out.length < 3 * n) throw new RangeError('The PCM buffer is too small.');
  let i = 0;
  if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    const w = new Uint32Array(out.buffer, out.byteOffset, (3 * n) >> 2);
    for (let o = 0; i + 4 <= n; i += 4, o += 3) {
      const a = pcm24(samples[i]!) & 0xffffff, b = pcm24(samples[i + 1]!) & 0xffffff;
      const c = pcm24(samples[i + 2]!) & 0xffffff, d = pcm24(samples[i + 3]!) & 0xffffff;
      w[o] = a | (b << 24);
      w[o + 1] = (b >>> 8) | (c << 16);
      w[o + 2] = (c >>> 16) | (d << 8);
    }
  }
  for (; i < n; i++) {
    const v = pcm24(samples[i]!);
    out[3 * i] = v & 0xff;
    out[3 * i + 1] = (v >> 8) & 0xff;
    out[3 * i + 2] = (v >> 16) & 0xff;
  }
  return 3 * n;
}

/** Float → signed 24-bit little-endian, rounded and clamped (no dither: the result is exact to repeat). */
export function encodePcm24(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 3);
  encodePcm24Into(samples, out);
  return out;
}

/**
 * Streams 24-bit PCM to a temporary file next to the destination; `commit()` patches the header
 * and renames it into place, `abort()` deletes it. A failed render never leaves half a WAV.
 */
export class WavWriter {
  readonly tempPath: string;
  private fd: number | null;
  private frames = 0;
  /** Reused between writes: a pass writes hundreds of chunks. */
  private pcm = new Uint8Array(0);

  constructor(readonly finalPath: string, readonly sampleRate: number, readonly channels = 2) {
    this.tempPath = tempPathFor(finalPath);
    try {
      this.fd = openSync(this.tempPath, 'w');
    } catch (e) {
      throw writeError(finalPath, e);
    }
    writeSync(this.fd, wavHeader(sampleRate, channels, 0), 0, 44, 0);
  }

  write(interleaved: Float32Array): void {
    if (this.fd === null) throw new Error('This WAV file is already closed.');
    if (this.pcm.length < 3 * interleaved.length) this.pcm = new Uint8Array(3 * interleaved.length);
    const bytes = encodePcm24Into(interleaved, this.pcm);
    try {
      writeSync(this.fd, this.pcm, 0, bytes, 44 + this.frames * this.channels * 3);
    } catch (e) {
      throw writeError(this.finalPath, e);
    }
    this.frames += interleaved.length / this.channels;
  }

  commit(): string {
    if (this.fd === null) throw new Error('This WAV file is already closed.');
    writeSync(this.fd, wavHeader(this.sampleRate, this.channels, this.frames), 0, 44, 0);
    closeSync(this.fd);
    this.fd = null;
    commitTempFile(this.tempPath, this.finalPath);
    return this.finalPath;
  }

  abort(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    rmSync(this.tempPath, { force: true });
  }
}
