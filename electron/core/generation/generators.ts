import type { GeneratorName } from '../../shared/domain.ts';
import { composerGenerator } from '../compose/composer-generator.ts';
import { diffV2mGenerator } from '../diffusion/diffv2m-music-generator.ts';
import { remixGenerator } from '../remix/remix-music-generator.ts';
import { GENERATOR_NAMES } from './generator-params.ts';
import type { MusicGenerator } from './music-generator.ts';

/** Every generator the pipeline runs, by the name the API, the CLI and the store use. */
const GENERATORS: Record<GeneratorName, MusicGenerator<never>> = {
  composer: composerGenerator as MusicGenerator<never>,
  diffv2m: diffV2mGenerator as MusicGenerator<never>,
  remix: remixGenerator as MusicGenerator<never>,
};


export function generatorByName(name: string): MusicGenerator<unknown> {
  const g = (GENERATORS as Record<string, MusicGenerator<never> | undefined>)[name];
  if (!g) throw new Error(`Unknown generator "${name}": choose one of ${GENERATOR_NAMES.join(', ')}.`);
  return g as MusicGenerator<unknown>;
}
