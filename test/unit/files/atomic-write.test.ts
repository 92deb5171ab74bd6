import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileAtomic, tempPathFor, writeFileAtomic, writeViaTemp } from '../../../electron/core/files/atomic-write.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the one atomic write', () => {
  it('writes text and bytes whole, replaces an old file, and leaves no temporary file', () => {
    const f = path.join(dir, 'a.json');
    writeFileSync(f, 'old');
    writeFileAtomic(f, '{"new":true}');
    expect(readFileSync(f, 'utf8')).toBe('{"new":true}');
    writeFileAtomic(path.join(dir, 'b.bin'), Uint8Array.of(1, 2, 3), { mode: 0o600 });
    expect([...readFileSync(path.join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    writeFileAtomic(path.join(dir, 'sub', 'deep', 'c.txt'), 'x', { mkdir: true });
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.bin', 'sub']);
  });

  it('keeps the extension last on the temporary name (ffmpeg picks the container from it) and never repeats one', () => {
    const a = tempPathFor('/x/out.mp4'), b = tempPathFor('/x/out.mp4');
    expect(a).toMatch(/^\/x\/\.out\..*\.tmp\.mp4$/);
    expect(a).not.toBe(b);
  });

  it('says why a destination cannot be written, and leaves nothing behind', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'x.txt'), 'x')).toThrow(/the folder .*missing does not exist/);
    if (process.getuid?.() !== 0) {
      const ro = path.join(dir, 'ro');
      writeFileAtomic(path.join(ro, 'keep'), 'k', { mkdir: true });
      chmodSync(ro, 0o500);
      expect(() => writeFileAtomic(path.join(ro, 'x.txt'), 'x')).toThrow(/permission denied/);
      chmodSync(ro, 0o700);
    }
  });

  it('copies whole, and renames a produced file into place only when the producer succeeds', async () => {
    writeFileAtomic(path.join(dir, 'src.txt'), 'source');
    copyFileAtomic(path.join(dir, 'src.txt'), path.join(dir, 'copy.txt'));
    expect(readFileSync(path.join(dir, 'copy.txt'), 'utf8')).toBe('source');
    const out = path.join(dir, 'made.txt');
    await expect(writeViaTemp(out, async (tmp) => { writeFileSync(tmp, 'half'); throw new Error('ffmpeg died'); })).rejects.toThrow('ffmpeg died');
    expect(readdirSync(dir).filter((n) => n.includes('made'))).toEqual([]);
    expect(await writeViaTemp(out, async (tmp) => { writeFileSync(tmp, 'whole'); return 7; })).toBe(7);
    expect(readFileSync(out, 'utf8')).toBe('whole');
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
