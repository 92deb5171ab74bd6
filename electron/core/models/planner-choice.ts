import { heuristicPlanner, type RhythmPlanner } from '../rhythm/index.ts';
import { ModelPack } from './model-pack.ts';
import { neuralPlanner } from './neural-planner.ts';
import { rhythmPack } from './rhythm-pack.ts';
import type { DevicePreference } from './session-options.ts';

export { rhythmPack, type RhythmPack } from './rhythm-pack.ts';

/** The two ways to predict a clip's ODF: the built-in rules, or the pack's ONNX rhythm predictor. */
export const PLANNER_NAMES = ['heuristic', 'neural'] as const;
export type PlannerName = (typeof PLANNER_NAMES)[number];

export interface ChosenPlanner {
  planner: RhythmPlanner;
  /** The open pack behind a neural planner (its provider report), null for the heuristic. */
  pack: ModelPack | null;
  close(): Promise<void>;
}

/**
 * A planner by name. `base` makes the accents, cuts and mood (default: the heuristic; a timeline's
 * picture passes its own); the neural planner replaces only the ODF with the predictor's.
 */
export function choosePlanner(name: PlannerName, o: { pack?: string; device?: DevicePreference; base?: RhythmPlanner } = {}): ChosenPlanner {
  if (!PLANNER_NAMES.includes(name)) throw new RangeError(`The planner must be ${PLANNER_NAMES.join(' or ')}, got "${name}".`);
  const base = o.base ?? heuristicPlanner;
  if (name === 'heuristic') return { planner: base, pack: null, close: async () => {} };
  const { dir } = rhythmPack(o.pack);
  const pack = ModelPack.open(dir, { device: o.device ?? 'auto' });
  return { planner: neuralPlanner(pack, base), pack, close: () => pack.close() };
}
