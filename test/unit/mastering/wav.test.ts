import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePcm24, encodePcm24Into, readWavInfo, wavMonoChunks, WavWriter } from '../../../electron/core/mastering/index.ts';
import { writeFileAtomic } from '../../../electron/core/files/atomic-write.ts';
import { checkWritableDestination } from '../../../electron/core/files/output-paths.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WAV writing', () => {
  it('encodes 24-bit PCM with rounding and clipping', () => {
    expect([...encodePcm24(Float32Array.from([0, 1, -1, 2, 0.5]))]).toEqual([0, 0, 0, 0xff, 0xff, 0x7f, 1, 0, 0x80, 0xff, 0xff, 0x7f, 0, 0, 0x40]);
  });

  it('packs words exactly as rounding each sample would, at any length and alignment', () => {
    const x = new Float32Array(1003);
    for (let i = 0; i < x.length; i++) x[i] = (Math.sin(i * 1.7) * 1.2) * 10 ** -(i % 9);
    x[5] = NaN;
    x[6] = -Infinity;
    const ref = new Uint8Array(3 * x.length);
    x.forEach((v, i) => {
      const q = Number.isNaN(v) ? 0 : Math.max(-8388608, Math.min(8388607, Math.round(v * 8388607)));
      ref.set([q & 0xff, (q >> 8) & 0xff, (q >> 16) & 0xff], 3 * i);
    });
    expect(Buffer.from(encodePcm24(x)).equals(Buffer.from(ref))).toBe(true);
    const odd = new Uint8Array(3 * x.length + 1).subarray(1);
    expect(encodePcm24Into(x, odd)).toBe(3 * x.length);
    expect(Buffer.from(odd).equals(Buffer.from(ref))).toBe(true);
  });

  it('writes under a temporary name and renames on commit; abort leaves nothing', () => {
    const out = path.join(dir, 'a.wav');
    const w = new WavWriter(out, 44100);
    w.write(Float32Array.from([0.25, -0.25, 0.5, -0.5]));
    expect(existsSync(out)).toBe(false);
    w.commit();
    const info = readWavInfo(out);
    expect(info).toMatchObject({ sampleRate: 44100, channels: 2, bitsPerSample: 24, format: 1, frames: 2 });
    const mono = [...wavMonoChunks(out)][0]!;
    expect(mono[0]).toBeCloseTo(0, 6);
    expect(mono[1]).toBeCloseTo(0, 6);
    const b = new WavWriter(path.join(dir, 'b.wav'), 44100);
    b.write(new Float32Array(8));
    b.abort();
    expect(readdirSync(dir).filter((f) => f.endsWith('.wav') || f.includes('tmp'))).toEqual(['a.wav']);
    expect(readFileSync(out).subarray(0, 4).toString()).toBe('RIFF');
  });

  it('refuses an output folder that cannot be written, with a clear message', () => {
    expect(() => checkWritableDestination('/nonexistent-v2m/x.wav')).toThrow(/folder \/nonexistent-v2m does not exist/);
    writeFileAtomic(path.join(dir, 'plain-file'), Uint8Array.from([0]));
    expect(() => checkWritableDestination(path.join(dir, 'plain-file', 'x.wav'))).toThrow(/plain-file is not a folder/);
    const ro = path.join(dir, 'ro');
    writeFileAtomic(path.join(dir, 'x.bin'), Uint8Array.from([1, 2]));
    expect([...readFileSync(path.join(dir, 'x.bin'))]).toEqual([1, 2]);
    if (process.getuid?.() === 0) return; // root writes anywhere
    rmSync(ro, { recursive: true, force: true });
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    expect(() => checkWritableDestination(path.join(ro, 'x.wav'))).toThrow(/permission denied/);
  });

  it('says what is wrong with a file that is not a WAV', () => {
    writeFileAtomic(path.join(dir, 'not.wav'), new TextEncoder().encode('hello, this is text and not audio'));
    expect(() => readWavInfo(path.join(dir, 'not.wav'))).toThrow(/is not a WAV file/);
  });
});
