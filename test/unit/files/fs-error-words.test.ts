import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsErrorWords } from '../../../electron/core/files/fs-error-words.ts';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('fsErrorWords', () => {
  it('puts a real symlink loop, a folder and a missing file into words without errno codes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fs-words-'));
    try {
      symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
      symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
      const loop = errorOf(() => readFileSync(path.join(dir, 'a')));
      expect((loop as NodeJS.ErrnoException).code).toBe('ELOOP');
      expect(fsErrorWords(loop)).toBe('the path goes round a loop of symbolic links');
      expect(fsErrorWords(errorOf(() => readFileSync(dir)))).toBe('it is a folder, not a file');
      expect(fsErrorWords(errorOf(() => readFileSync(path.join(dir, 'none'))))).toBe('it does not exist');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps an unknown code's description but drops the code and the path", () => {
    const e = Object.assign(new Error("EWEIRD: something odd happened, open '/x/y'"), { code: 'EWEIRD' });
    expect(fsErrorWords(e)).toBe('something odd happened');
    expect(fsErrorWords('plain')).toBe('plain');
  });
});

describe('the CLI says what is wrong with a file, not its errno code', () => {
  it('v2m generate on a plan that is a symlink loop, and on a folder', async () => {
    const { runCli } = await import('../../../electron/cli/main.ts');
    const { PassThrough } = await import('node:stream');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fs-words-cli-'));
    const run = async (args: string[]) => {
      const stdout = new PassThrough(), stderr = new PassThrough();
      let err = '';
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await runCli(args, { stdout, stderr, isTTY: false, signal: new AbortController().signal });
      return { code, err };
    };
    try {
      symlinkSync(path.join(dir, 'b.json'), path.join(dir, 'a.json'));
      symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'b.json'));
      const loop = await run(['generate', path.join(dir, 'a.json'), '--out', path.join(dir, 'x.wav')]);
      expect(loop.code).toBe(1);
      expect(loop.err).toContain('the path goes round a loop of symbolic links');
      expect(loop.err).not.toMatch(/E[A-Z]{3,}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
