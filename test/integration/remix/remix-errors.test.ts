import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePcm24, wavHeader } from '../../../electron/core/mastering/index.ts';
import { probe } from '../../../electron/core/media/index.ts';
import { normalizePlan } from '../../../electron/core/rhythm/index.ts';
import { generateRemix, loadTrack, MAX_TRACK_SEC, RemixError } from '../../../electron/core/remix/index.ts';
import { lcgBytes } from '../../helpers/noise.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-remix-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SR = 22050;

function writeWav(name: string, mono: Float32Array, sampleRate = SR): string {
  const f = path.join(dir, name);
  writeFileSync(f, Buffer.concat([wavHeader(sampleRate, 1, mono.length), encodePcm24(mono)]));
  return f;
}

/** A drum-like click (decaying noise burst) every `period` s, louder on every fourth. */
function clicks(durationSec: number, period = 0.5): Float32Array {
  const x = new Float32Array(Math.round(durationSec * SR));
  const noise = lcgBytes(x.length, 3);
  for (let k = 0; k * period < durationSec; k++) {
    const s = Math.round(k * period * SR), amp = k % 4 === 0 ? 0.9 : 0.5;
    for (let i = 0; i < 0.04 * SR && s + i < x.length; i++) x[s + i] = amp * ((noise[s + i]! - 128) / 128) * Math.exp(-i / (0.008 * SR));
  }
  return x;
}

const plan = normalizePlan({ durationSec: 10, fps: 25, odfLR: Array(10).fill(0.5), accents: [{ timeSec: 4, strength: 1, kind: 'cut' }], cuts: [4], mood: { valence: 0, arousal: 0 } }).plan;

async function remixError(file: string): Promise<RemixError> {
  const e = await generateRemix(plan, { music: file, out: path.join(dir, 'never.wav') }).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(RemixError);
  expect(() => statSync(path.join(dir, 'never.wav'))).toThrow();
  return e as RemixError;
}

describe('remix: clear errors for tracks that cannot be remixed', () => {
  it('a track shorter than four bars', async () => {
    const e = await remixError(writeWav('short.wav', clicks(3)));
    expect(e.code).toBe('TRACK_TOO_SHORT');
    expect(e.message).toMatch(/short\.wav holds \d whole bars? .*needs at least 4/);
  });

  it('a track with no beat to follow: a held chord and white noise', async () => {
    const chord = new Float32Array(20 * SR);
    for (let i = 0; i < chord.length; i++) {
      const t = i / SR;
      chord[i] = 0.2 * Math.min(1, t / 2) * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.18 * t) + Math.sin(2 * Math.PI * 329.63 * t));
    }
    const e = await remixError(writeWav('chord.wav', chord));
    expect(e.code).toBe('NO_BEAT');
    expect(e.message).toMatch(/chord\.wav has no beat that can be followed .*steady pulse/);
    const bytes = lcgBytes(20 * SR, 9);
    const noise = Float32Array.from(bytes, (b) => 0.3 * ((b - 128) / 128));
    expect((await remixError(writeWav('noise.wav', noise))).code).toBe('NO_BEAT');
  });

  it('silence', async () => {
    const e = await remixError(writeWav('silence.wav', new Float32Array(20 * SR)));
    expect(e.code).toBe('TRACK_SILENT');
    expect(e.message).toMatch(/silence\.wav is silent \(below −60 dBFS\)/);
  });

  it('a corrupt file, a file that is not audio, a missing file', async () => {
    const corrupt = path.join(dir, 'corrupt.wav');
    writeFileSync(corrupt, Buffer.concat([Buffer.from('RIFF\x24\x00\x10\x00WAVEfmt ', 'latin1'), Buffer.from(lcgBytes(50_000, 5))]));
    const e = await remixError(corrupt);
    expect(e.code).toBe('TRACK_UNREADABLE');
    expect(e.message).toMatch(/^Cannot use .*corrupt\.wav as the music: /);
    const text = path.join(dir, 'notes.mp3');
    writeFileSync(text, 'these are my notes, not music\n');
    expect((await remixError(text)).message).toMatch(/^Cannot use .*notes\.mp3 as the music: /);
    expect((await remixError(path.join(dir, 'missing.wav'))).code).toBe('TRACK_UNREADABLE');
  });

  it('a track longer than an hour is refused from its probed duration, before decoding', async () => {
    // A real WAV of an hour and a minute (8 kHz mono, 24-bit): its samples are a sparse hole, no disk used.
    const f = path.join(dir, 'long.wav');
    const frames = (MAX_TRACK_SEC + 60) * 8000;
    const fd = openSync(f, 'w');
    try {
      writeSync(fd, wavHeader(8000, 1, frames));
      writeSync(fd, Buffer.alloc(3), 0, 3, 44 + frames * 3 - 3);
    } finally {
      closeSync(fd);
    }
    expect((await probe(f)).durationSec).toBeCloseTo(MAX_TRACK_SEC + 60, 3);
    const t0 = performance.now();
    const e = await remixError(f);
    expect(e.code).toBe('TRACK_TOO_LONG');
    expect(e.message).toMatch(/long\.wav lasts 61\.0 minutes; a remix source may last at most 60 minutes/);
    // Decoding an hour would take far longer than this; the refusal is the probe's.
    expect(performance.now() - t0).toBeLessThan(5000);
    // The same check at a lower limit on a short real file: the limit, not the file, decides.
    const short = writeWav('ten-seconds.wav', clicks(10));
    await expect(loadTrack(short, { maxDurationSec: 5 })).rejects.toMatchObject({ code: 'TRACK_TOO_LONG' });
  });
});
