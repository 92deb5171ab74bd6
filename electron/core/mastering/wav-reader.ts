import { closeSync, openSync, readSync } from 'node:fs';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 = integer PCM, 3 = float. */
  format: number;
  dataOffset: number;
  frames: number;
}

/** Reads the header of a PCM (16/24/32-bit) or float WAV file; a clear error for anything else. */
export function readWavInfo(file: string): WavInfo {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const got = readSync(fd, head, 0, head.length, 0);
    if (got < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file} is not a WAV file.`);
    let pos = 12;
    let fmt: Omit<WavInfo, 'dataOffset' | 'frames'> | null = null;
    while (pos + 8 <= got) {
      const id = head.toString('ascii', pos, pos + 4);
      const size = head.readUInt32LE(pos + 4);
      if (id === 'fmt ') {
        let format = head.readUInt16LE(pos + 8);
        if (format === 0xfffe) format = head.readUInt16LE(pos + 32);
        fmt = { format, channels: head.readUInt16LE(pos + 10), sampleRate: head.readUInt32LE(pos + 12), bitsPerSample: head.readUInt16LE(pos + 22) };
      } else if (id === 'data') {
        if (!fmt) break;
        const bytes = (fmt.bitsPerSample / 8) * fmt.channels;
        return { ...fmt, dataOffset: pos + 8, frames: Math.floor(size / bytes) };
      }
      pos += 8 + size + (size % 2);
    }
    throw new Error(`${file} has no readable WAV format and data chunks.`);
  } finally {
    closeSync(fd);
  }
}

/** Streams a WAV file as mono Float32 chunks (channels averaged). */
export function* wavMonoChunks(file: string, chunkFrames = 65536): Generator<Float32Array> {
  const info = readWavInfo(file);
  const bps = info.bitsPerSample / 8;
  if (!((info.format === 1 && (bps === 2 || bps === 3 || bps === 4)) || (info.format === 3 && bps === 4))) {
    throw new Error(`${file}: unsupported WAV sample format (${info.format}, ${info.bitsPerSample} bit).`);
  }
  const fd = openSync(file, 'r');
  try {
    const frameBytes = bps * info.channels;
    for (let f = 0; f < info.frames; f += chunkFrames) {
      const n = Math.min(chunkFrames, info.frames - f);
      const buf = Buffer.alloc(n * frameBytes);
      readSync(fd, buf, 0, buf.length, info.dataOffset + f * frameBytes);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let c = 0; c < info.channels; c++) {
          const o = i * frameBytes + c * bps;
          sum += info.format === 3 ? buf.readFloatLE(o) : bps === 2 ? buf.readInt16LE(o) / 32768 : bps === 3 ? buf.readIntLE(o, 3) / 8388608 : buf.readInt32LE(o) / 2147483648;
        }
        out[i] = sum / info.channels;
      }
      yield out;
    }
  } finally {
    closeSync(fd);
  }
}
