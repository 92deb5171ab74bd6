import type { PlanPlanner, PlannerOption } from '../../shared/domain.ts';
import { heuristicPlanner } from '../rhythm/heuristic-planner.ts';
import { hasRandomWeights } from './manifest.ts';
import { listPacks } from './pack-discovery.ts';
import { rhythmPack } from './rhythm-pack.ts';
import type { RhythmPredictJobResult } from './rhythm-predict-job.ts';

// One rule for "random weights" (the manifest's own module), shared with the model list.
export { hasRandomWeights } from './manifest.ts';

/**
 * What the app offers: the built-in planner always, and the rhythm predictor of each usable
 * installed pack, or one disabled entry saying why there is none.
 */
export function plannerOptions(o: { bundledDir?: string; userDir?: string; runtimeProblem?: string | undefined } = {}): PlannerOption[] {
  const builtIn: PlannerOption = { kind: 'heuristic', pack: null, packVersion: null, randomWeights: false, available: true, reason: null };
  const neural: PlannerOption[] = [];
  const problems: string[] = [];
  for (const p of listPacks(o)) {
    if (p.status !== 'ok') {
      problems.push(`The model pack in ${p.dir} cannot be used: ${p.problem}`);
      continue;
    }
    try {
      const { manifest } = rhythmPack(p.dir);
      neural.push({
        kind: 'neural', pack: manifest.name, packVersion: manifest.version ?? null, randomWeights: hasRandomWeights(manifest),
        available: !o.runtimeProblem, reason: o.runtimeProblem ?? null,
      });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (neural.length > 0) return [builtIn, ...neural];
  const reason = problems[0] ?? 'No model pack with a rhythm predictor is installed: install a Diff-V2M model pack (v2m models install <folder|URL>) to use it.';
  return [builtIn, { kind: 'neural', pack: null, packVersion: null, randomWeights: false, available: false, reason }];
}

/** The heuristic planner's record (kept with the plan so a switch back is one labelled step). */
export const BUILT_IN_PLANNER: PlanPlanner = { kind: 'heuristic', id: heuristicPlanner.name };

/** What a plan records about the predictor run behind its ODF: the pack, and where it ran. */
export function neuralPlanPlanner(r: Pick<RhythmPredictJobResult, 'planner' | 'sessions'>, pack: { name: string; version: string; randomWeights: boolean }): PlanPlanner {
  const rhythm = r.sessions.find((s) => s.model === 'rhythm_predictor') ?? r.sessions[0];
  return {
    kind: 'neural',
    id: r.planner,
    pack,
    ...(rhythm ? { device: { provider: rhythm.provider, requested: rhythm.requested, fallbackReason: rhythm.fallbackReason } } : {}),
  };
}
