import type { DevicePreference } from '../models/session-options.ts';
import { numberParam } from '../compose/composer-params.ts';

export interface DiffV2mParams {
  /** A pack name (v2m models list) or folder; default: the first usable installed pack. */
  pack?: string;
  steps?: number;
  cfgScale?: number;
  device: DevicePreference;
}

const DEVICES: readonly DevicePreference[] = ['auto', 'cuda', 'cpu'];

/** Diff-V2M's parameters from the API's or the CLI's loose ones. */
export function parseDiffV2mParams(raw: Record<string, unknown>): DiffV2mParams {
  const device = (raw.device ?? 'auto') as DevicePreference;
  if (!DEVICES.includes(device)) throw new RangeError(`The device must be auto, cuda or cpu, got ${JSON.stringify(raw.device)}.`);
  if (raw.pack !== undefined && typeof raw.pack !== 'string') throw new TypeError('The model pack must be a name or a folder.');
  const steps = numberParam(raw.steps, 'The number of sampler steps', 1, 1000, true);
  const cfgScale = numberParam(raw.cfgScale, 'The guidance scale', 0, 20);
  return { device, ...(raw.pack ? { pack: raw.pack } : {}), ...(steps !== undefined ? { steps } : {}), ...(cfgScale !== undefined ? { cfgScale } : {}) };
}
