import type { GeneratorName } from '../../shared/domain.ts';
import { parseComposerParams } from '../compose/composer-params.ts';
import { parseDiffV2mParams } from '../diffusion/diffv2m-params.ts';
import { parseRemixParams } from '../remix/remix-params.ts';

// The parameter checks of every generator without their engines (no ONNX runtime, no
// SoundFont): the app's main process refuses a bad request at once, before any job starts.
const PARSERS: Record<GeneratorName, (raw: Record<string, unknown>) => unknown> = {
  composer: parseComposerParams,
  diffv2m: parseDiffV2mParams,
  remix: parseRemixParams,
};

export const GENERATOR_NAMES = Object.keys(PARSERS) as GeneratorName[];

export function isGeneratorName(name: string): name is GeneratorName {
  return Object.hasOwn(PARSERS, name);
}

/** Checks a generator's parameters; throws an Error a user can act on. */
export function checkGeneratorParams(name: GeneratorName, raw: Record<string, unknown>): void {
  PARSERS[name](raw);
}
