export { makeScratchDir, processScratchRoot, sweepStaleScratch, SCRATCH_PREFIX, OWNER_FILE, type SweepResult } from './scratch-dir.ts';
