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

/** Float → signed 24-bit little-endian, rounded and clamped (no dither: the result is exact to repeat). */
export function encodePcm24(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 3);
  for (let i = 0; i < samples.length; i++) {
    let v = Math.round(samples[i]! * 8388607);
    if (v > 8388607) v = 8388607;
    else if (v < -8388608) v = -8388608;
    const o = i * 3;
    out[o] = v & 0xff;
    out[o + 1] = (v >> 8) & 0xff;
    out[o + 2] = (v >> 16) & 0xff;
  }
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
    const buf = encodePcm24(interleaved);
    try {
      writeSync(this.fd, buf, 0, buf.length, 44 + this.frames * this.channels * 3);
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
