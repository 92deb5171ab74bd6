import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/paths.ts';

// npm warns on every call about keys in a project .npmrc it does not know; onnxruntime-node's
// CUDA download is turned off through allowScripts instead, which npm itself understands.
describe('npm project configuration', () => {
  it('npm prints no "Unknown project config" warning in this project', () => {
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/v2m-studio/);
    expect(r.stderr).not.toMatch(/Unknown (project|user|env) config/);
  });

  it('keeps onnxruntime-node\'s CUDA download off at install and unknown keys out of .npmrc', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
    const npmrc = path.join(projectRoot, '.npmrc');
    if (existsSync(npmrc)) expect(readFileSync(npmrc, 'utf8')).not.toMatch(/onnxruntime/);
  });
});
