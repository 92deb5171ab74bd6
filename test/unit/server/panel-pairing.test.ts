import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PairingBook, PairingError } from '../../../electron/server/panel-pairing.ts';
import { tempDir } from '../store/store-fixtures.ts';

describe('panel pairing', () => {
  let tmp: ReturnType<typeof tempDir> | null = null;
  afterEach(() => tmp?.cleanup());
  const book = () => {
    tmp = tempDir('v2m-pair-');
    return { file: path.join(tmp.dir, 'panel-tokens.json'), b: new PairingBook(path.join(tmp.dir, 'panel-tokens.json')) };
  };

  it('trades the shown code once for a token that verifies, stores only its hash, and survives a restart', () => {
    const { file, b } = book();
    const code = b.code().code;
    expect(code).toMatch(/^\d{6}$/);
    const token = b.pair(code, 'Premiere Pro panel');
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(b.verify(token)).toBe('Premiere Pro panel');
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token);
    expect(new PairingBook(file).verify(token)).toBe('Premiere Pro panel');
  });

  it('uses a code up: the same code cannot pair a second panel', () => {
    const { b } = book();
    const code = b.code().code;
    b.pair(code, 'first');
    // A fresh random code follows (equal to the old one once in a million runs).
    expect(b.code().code).not.toBe(code);
    expect(() => b.pair(code, 'second')).toThrow(/not the one V2M Studio shows/);
  });

  it('refuses a wrong code, and replaces the code after five wrong tries', () => {
    const { b } = book();
    const code = b.code().code;
    const wrong = code === '000000' ? '000001' : '000000';
    const seen: string[] = [];
    b.onCodeChange((c) => seen.push(c.code));
    for (let i = 0; i < 4; i++) expect(() => b.pair(wrong, 'x')).toThrow(PairingError);
    expect(b.code().code).toBe(code);
    expect(() => b.pair(wrong, 'x')).toThrow(/Too many wrong pairing codes/);
    expect(seen).toHaveLength(1);
    expect(b.code().code).toBe(seen[0]);
  });

  it('refuses missing and unknown tokens with a message that says to pair', () => {
    const { b } = book();
    expect(() => b.verify(null)).toThrow(/not paired/);
    expect(() => b.verify('made-up-token')).toThrow(/Enter the pairing code/);
    try {
      b.verify('x');
    } catch (err) {
      expect((err as PairingError).code).toBe('NOT_PAIRED');
    }
  });

  it('starts from a damaged token file instead of failing, and revokes every panel', () => {
    const { file, b } = book();
    const token = b.pair(b.code().code, 'p');
    writeFileSync(file, '{ not json');
    expect(() => new PairingBook(file).verify(token)).toThrow(/not paired/);
    const again = new PairingBook(file);
    const t2 = again.pair(again.code().code, 'q');
    again.revokeAll();
    expect(() => again.verify(t2)).toThrow(/not paired/);
    expect(existsSync(file)).toBe(true);
  });
});
