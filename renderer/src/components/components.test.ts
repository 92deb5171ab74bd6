import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

// Every component compiles in runes mode with no warnings: Svelte's accessibility checks
// (labels, roles, keyboard handlers next to pointer ones) fail the suite instead of scrolling by.
const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? svelteFiles(path.join(dir, e.name)) : e.name.endsWith('.svelte') ? [path.join(dir, e.name)] : []);
}

describe('components', () => {
  const files = svelteFiles(srcDir);

  it('are PascalCase files', () => {
    expect(files.length).toBeGreaterThan(8);
    for (const f of files) expect(path.basename(f)).toMatch(/^[A-Z][A-Za-z0-9]*\.svelte$/);
  });

  it.each(files.map((f) => [path.relative(srcDir, f), f]))('%s compiles without warnings', (_name, file) => {
    const result = compile(readFileSync(file, 'utf8'), { filename: file, runes: true, generate: 'client' });
    expect(result.warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([]);
  });
});
