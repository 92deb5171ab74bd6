#!/usr/bin/env node
// Runs native-models' pytest suite with Debian's Python (python3-torch, python3-onnx,
// python3-pytest). Without them it says so and skips, as the README's system-package rule asks;
// .ci/run installs them, so CI never skips.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const candidates = [process.env.V2M_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
const probe = 'import torch, onnx, pytest; print(torch.__version__)';

let python;
for (const c of candidates) {
  const r = spawnSync(c, ['-c', probe], { encoding: 'utf8' });
  if (r.status === 0) {
    python = c;
    console.log(`[native-models] ${c}: torch ${r.stdout.trim()}`);
    break;
  }
}
if (!python) {
  console.log(
    '[native-models] SKIPPED: no Python with torch, onnx and pytest (tried ' +
      candidates.join(', ') +
      '). Install Debian\'s python3-torch python3-onnx python3-pytest libopenblas0-pthread (.ci/run does), or set V2M_PYTHON.',
  );
  process.exit(0);
}
const r = spawnSync(python, ['-m', 'pytest', 'native-models', '-q', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
