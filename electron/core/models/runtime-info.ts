import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface OnnxRuntimeInfo {
  package: 'onnxruntime-node';
  /** Installed package version, or null when it is missing. */
  version: string | null;
  /** Directory of the native binding for this platform, when present. */
  bindingDir: string | null;
  /** Whether the optional CUDA execution-provider library was installed (`npm run gpu:cuda`). */
  cudaProvider: boolean;
  /** Why the runtime is unusable, when it is. */
  problem?: string;
}

const require = createRequire(import.meta.url);

/**
 * What onnxruntime-node is installed, read from its files only: importing the package would load
 * the native library, which the version page and model status do not need.
 */
export function onnxRuntimeInfo(): OnnxRuntimeInfo {
  let pkgPath: string;
  try {
    pkgPath = require.resolve('onnxruntime-node/package.json');
  } catch {
    return { package: 'onnxruntime-node', version: null, bindingDir: null, cudaProvider: false, problem: 'onnxruntime-node is not installed; run npm install.' };
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: string };
  const root = path.dirname(pkgPath);
  const binDir = path.join(root, 'bin');
  const napi = existsSync(binDir) ? readDirSafe(binDir).filter((d) => d.startsWith('napi-v')).sort().reverse() : [];
  let bindingDir: string | null = null;
  for (const v of napi) {
    const dir = path.join(binDir, v, process.platform, process.arch);
    if (existsSync(path.join(dir, 'onnxruntime_binding.node'))) {
      bindingDir = dir;
      break;
    }
  }
  const cudaLib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const info: OnnxRuntimeInfo = {
    package: 'onnxruntime-node',
    version: pkg.version ?? null,
    bindingDir,
    cudaProvider: bindingDir !== null && existsSync(path.join(bindingDir, cudaLib)),
  };
  if (!bindingDir) info.problem = `onnxruntime-node ${pkg.version ?? ''} has no native binding for ${process.platform}-${process.arch}.`;
  return info;
}

function readDirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
