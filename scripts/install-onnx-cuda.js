#!/usr/bin/env node
// Opt-in GPU support: fetches onnxruntime-node's CUDA 12 execution provider (Linux x64; on
// Windows x64 DirectML/CUDA ship inside the package). `npm install` skips this download on
// purpose (allowScripts in package.json) because it is large and needs the internet. Run: npm run gpu:cuda
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let ortDir;
try {
  ortDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
} catch {
  console.error('onnxruntime-node is not installed: run "npm install" first.');
  process.exit(1);
}
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`Nothing to fetch on ${process.platform}-${process.arch}: onnxruntime-node ships its GPU providers there (or has none).`);
  process.exit(0);
}
const script = path.join(ortDir, 'script', 'install.js');
console.log('Fetching the CUDA 12 execution provider for onnxruntime-node (a few hundred MB)…');
const r = spawnSync(process.execPath, [script], {
  cwd: ortDir,
  stdio: 'inherit',
  env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12', npm_config_onnxruntime_node_install: 'cuda12' },
});
const provider = path.join(ortDir, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so');
if (r.status !== 0 || !existsSync(provider)) {
  console.error(
    'Could not fetch the CUDA provider (no internet, or the download failed). V2M Studio keeps working on the CPU.\n' +
      'Needs: an NVIDIA driver, CUDA 12 and cuDNN 9 libraries on the library path.',
  );
  process.exit(r.status || 1);
}
console.log(`CUDA provider installed: ${provider}\nThe app now tries CUDA first and says which provider runs.`);
