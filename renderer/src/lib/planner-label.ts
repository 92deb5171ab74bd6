// Words for who made the ODF. Pure, so the timeline, the chooser and their tests say the same thing.
import type { PlanPlanner, PlannerOption } from '../../../electron/shared/domain.ts';

const TEST_PACK = 'test pack, random weights';

/** "built-in planner" or "rhythm predictor (diffv2m-tiny, test pack, random weights)". */
export function plannerLabel(p: PlanPlanner | undefined): string {
  if (!p || p.kind === 'heuristic') return 'built-in planner';
  const pack = p.pack?.name ?? p.id.replace(/^[^:]*:/, '');
  return `rhythm predictor (${pack}${p.pack?.randomWeights ? `, ${TEST_PACK}` : ''})`;
}

/** The timeline's narrow label column: the pack, and "test pack" for random weights (the full words go in its tooltip). */
export function plannerShortLabel(p: PlanPlanner | undefined): string {
  if (!p || p.kind === 'heuristic') return 'built-in planner';
  const pack = p.pack?.name ?? p.id.replace(/^[^:]*:/, '');
  return `rhythm predictor (${pack}${p.pack?.randomWeights ? ', test pack' : ''})`;
}

/** The chooser's words for one option. */
export function optionLabel(o: PlannerOption): string {
  if (o.kind === 'heuristic') return 'Built-in planner';
  if (o.pack === null) return 'Rhythm predictor';
  return `Rhythm predictor (${o.pack}${o.randomWeights ? `, ${TEST_PACK}` : ''})`;
}

/** Where the predictor ran, and why not on the GPU when it fell back ("" for the built-in planner). */
export function deviceNote(p: PlanPlanner | undefined): string {
  const d = p?.kind === 'neural' ? p.device : undefined;
  if (!d) return '';
  const where = d.provider === 'cuda' ? 'GPU (CUDA)' : 'CPU';
  return d.fallbackReason ? `Ran on the ${where}: ${d.fallbackReason}` : `Ran on the ${where}.`;
}

/** Stable id for an option's radio button and for matching the plan's planner. */
export function optionKey(o: Pick<PlannerOption, 'kind' | 'pack'>): string {
  return o.kind === 'heuristic' ? 'heuristic' : `neural:${o.pack ?? ''}`;
}

/** The option that made this plan's ODF (absent planner: the built-in one). */
export function currentKey(p: PlanPlanner | undefined): string {
  return !p || p.kind === 'heuristic' ? 'heuristic' : `neural:${p.pack?.name ?? p.id.replace(/^[^:]*:/, '')}`;
}
