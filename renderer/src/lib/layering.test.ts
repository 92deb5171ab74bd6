import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// lib/ holds state and pure logic the components build on; an import back into components/
// would tie tested logic to the views (and make cycles), so the direction is checked here.
const libDir = path.dirname(fileURLToPath(import.meta.url));
const componentsDir = path.resolve(libDir, '../components');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [path.join(dir, e.name)] : []);
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
export function importSpecifiers(source: string): string[] {
  const re = /(?:\bimport\s*(?:[^'"()]*?\s*from\s*)?|\bexport\s*[^'"()]*?\s*from\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(re)].map((m) => m[1]!);
}

describe('renderer layering', () => {
  it('finds imports of every form', () => {
    const src = "import a from './a.ts';\nimport type { B } from \"../b.ts\";\nexport { c } from './c.ts';\nconst d = await import('./d.ts');\nimport './e.css';";
    expect(importSpecifiers(src)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.css']);
  });

  it('lib/ never imports from components/', () => {
    const files = sourceFiles(libDir);
    expect(files.length).toBeGreaterThan(10);
    const offending: string[] = [];
    for (const file of files) {
      for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (target === componentsDir || target.startsWith(componentsDir + path.sep)) offending.push(`${path.relative(libDir, file)} imports ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
