import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, readManifest, type PackManifest } from './manifest.ts';
import { listPacks, resolvePack } from './pack-discovery.ts';
import { PackError } from './pack-error.ts';
import { checkFileSize } from './pack-verify.ts';

// Kept apart from planner-choice.ts (which opens sessions): the engine asks which packs can plan
// without loading onnxruntime's native library into the app's main process.

export interface RhythmPack {
  dir: string;
  manifest: PackManifest;
}

const INSTALL_HINT = 'install a Diff-V2M model pack with `v2m models install <folder|URL>`, or use the heuristic planner';

/**
 * The pack the neural planner runs: the one named (folder or installed name), else the first usable
 * installed one. Refused, with what to do, when there is none or it has no rhythm predictor.
 */
export function rhythmPack(nameOrDir?: string, o: { bundledDir?: string; userDir?: string } = {}): RhythmPack {
  let dir: string;
  if (nameOrDir !== undefined) {
    dir = resolvePack(nameOrDir, o).dir;
  } else {
    const first = listPacks(o).find((p) => p.status === 'ok');
    if (!first) throw new PackError('NOT_FOUND', `The neural planner needs a model pack with a rhythm predictor, and none is installed: ${INSTALL_HINT}.`);
    dir = first.dir;
  }
  requireRhythmModel(dir);
  const manifest = readManifest(dir);
  const fp32 = manifest.models.rhythm_predictor.files.fp32;
  try {
    checkFileSize(dir, fp32);
  } catch (e) {
    if ((e as PackError).code !== 'MISSING_FILE') throw e;
    throw new PackError('MISSING_FILE', `The model pack ${manifest.name} (${dir}) has no rhythm predictor file ${fp32.path}; the neural planner needs it: install the pack again, or use the heuristic planner.`);
  }
  return { dir, manifest };
}

/** Said before the manifest check, which would only report a schema path. */
function requireRhythmModel(dir: string): void {
  let json: { name?: unknown; models?: Record<string, unknown> };
  try {
    json = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as typeof json;
  } catch {
    return; // readManifest says what is wrong with the file.
  }
  if (json && typeof json.models === 'object' && json.models !== null && !json.models.rhythm_predictor) {
    const name = typeof json.name === 'string' ? json.name : path.basename(dir);
    throw new PackError('MISSING_FILE', `The model pack ${name} (${dir}) has no rhythm predictor (its manifest lists no models.rhythm_predictor); the neural planner needs one: ${INSTALL_HINT}.`);
  }
}
