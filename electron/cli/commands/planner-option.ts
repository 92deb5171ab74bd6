import { UsageError } from '../command.ts';
import { choosePlanner, PLANNER_NAMES, type ChosenPlanner, type DevicePreference, type PlannerName } from '../../core/models/index.ts';
import type { RhythmPlanner } from '../../core/rhythm/index.ts';

/** The options `plan`, `generate` and `score` share for choosing who predicts the ODF. */
export const PLANNER_OPTIONS = { planner: { type: 'string' }, pack: { type: 'string' }, device: { type: 'string' } } as const;

export const PLANNER_USAGE = [
  '  --planner <p>    heuristic (default: the built-in rules) or neural (the model pack\'s ONNX rhythm predictor)',
  '  --pack <p>       neural: a model pack name (v2m models list) or folder (default: the first installed)',
  '  --device <d>     neural: auto (CUDA, else CPU, saying why), cuda or cpu',
].join('\n');

export interface PlannerFlags {
  planner?: string | undefined;
  pack?: string | undefined;
  device?: string | undefined;
}

export function parsePlannerName(v: string | undefined): PlannerName {
  if (v === undefined) return 'heuristic';
  if (!(PLANNER_NAMES as readonly string[]).includes(v)) throw new UsageError(`--planner must be ${PLANNER_NAMES.join(' or ')}, got "${v}"`);
  return v as PlannerName;
}

export function parseDevice(v: string | undefined): DevicePreference {
  const d = v ?? 'auto';
  if (!['auto', 'cuda', 'cpu'].includes(d)) throw new UsageError(`--device must be auto, cuda or cpu, got "${v}"`);
  return d as DevicePreference;
}

/** The planner the flags ask for; `--pack`/`--device` without the neural planner are refused. */
export function plannerFromFlags(f: PlannerFlags, base?: RhythmPlanner): ChosenPlanner {
  const name = parsePlannerName(f.planner);
  const device = parseDevice(f.device);
  if (name === 'heuristic' && (f.pack !== undefined || f.device !== undefined)) {
    throw new UsageError('--pack and --device choose the neural planner\'s model: add --planner neural');
  }
  return choosePlanner(name, { device, ...(f.pack !== undefined ? { pack: f.pack } : {}), ...(base ? { base } : {}) });
}
