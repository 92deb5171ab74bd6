export {
  RHYTHM_PLAN_VERSION, STRONG_ACCENT, MAX_PLAN_DURATION_SEC, ACCENT_MERGE_SEC, PlanError,
  rhythmPlanSchema, normalizePlan, parsePlanJson, planToJson,
  type RhythmPlan, type PlanAccent, type PlanCut, type PlanMood, type PlanSceneMood, type AccentKind, type NormalizedPlan,
} from './rhythm-plan.ts';
export {
  planFromAnalysis, motionPerSecond, heuristicPlanner, DEFAULT_HEURISTIC_PARAMS,
  type RhythmPlanner, type HeuristicPlanParams,
} from './heuristic-planner.ts';
export { toTimelinePlan, applyTimelinePlan, planFromTimeline, planForGeneration } from './timeline-plan.ts';
