import type { RhythmPlan as TimelinePlan } from '../../shared/domain.ts';
import { musicSyncReport } from '../eval/index.ts';
import type { JobContext } from '../jobs/job-protocol.ts';
import { readWavInfo } from '../mastering/wav-reader.ts';
import { planForGeneration, type RhythmPlan } from '../rhythm/index.ts';
import { measuredSyncFields } from './generate-job.ts';

/** What the engine's `measureSync` hands the `measure-sync` job. */
export interface MeasureSyncJobInput {
  /** The generation's mastered music. */
  wavPath: string;
  /** The clip's plan as it is now. */
  plan: TimelinePlan;
  /** The analysis's full plan, so accents merge exactly as they did for the generator. */
  basePlan: RhythmPlan | null;
  durationSec: number;
  fps: number;
}

/**
 * The same sync check a generation ends with, run again on its stored WAV against the current
 * plan: after the plan changed, the report says how the music lands on the accents now.
 */
export async function measureSyncJob(input: MeasureSyncJobInput, ctx: JobContext) {
  try {
    readWavInfo(input.wavPath);
  } catch (e) {
    throw new Error(`Cannot measure the sync again: the generated music ${input.wavPath} cannot be read (${(e as Error).message}).`);
  }
  const plan = planForGeneration(input.plan, input.basePlan, input.basePlan?.durationSec ?? input.durationSec, input.basePlan?.fps ?? input.fps);
  ctx.progress('checking', 0);
  const sync = await musicSyncReport(input.wavPath, plan.accents, { signal: ctx.signal });
  ctx.progress('checking', 1);
  return measuredSyncFields(sync, input.plan.accents);
}
