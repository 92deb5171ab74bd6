#!/usr/bin/env node
// Compiles the engine's WebAssembly kernels (*.wat beside their TypeScript) into `<name>.wasm.ts`
// modules holding the bytes as base64, so the app and CLI need no wasm toolchain at run time.
// wabt is a dev dependency; a unit test recompiles every kernel and fails when a .wasm.ts is stale.
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every .wat file under electron/core. */
export function watFiles(dir = path.join(root, 'electron/core')) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...watFiles(p));
    else if (e.name.endsWith('.wat')) out.push(p);
  }
  return out.sort();
}

/** The TypeScript module text for one .wat file. */
export async function wasmModuleSource(watPath) {
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat(path.basename(watPath), readFileSync(watPath, 'utf8'), { simd: true });
  try {
    mod.validate();
    const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
    const name = path.basename(watPath);
    return (
      `// Generated from ${name} by scripts/build-wasm.js (npm run build:wasm): do not edit.\n` +
      `export const WASM_BASE64 =\n  '${Buffer.from(buffer).toString('base64')}';\n`
    );
  } finally {
    mod.destroy();
  }
}

export function outputPath(watPath) {
  return watPath.replace(/\.wat$/, '.wasm.ts');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const wat of watFiles()) {
    const out = outputPath(wat);
    writeFileSync(`${out}.tmp`, await wasmModuleSource(wat));
    renameSync(`${out}.tmp`, out);
    console.log(`built ${path.relative(root, out)}`);
  }
}
