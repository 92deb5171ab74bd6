export { ProjectStore, type ClipRecord, type GenerationRecord, type NewClip, type TimelineImportRecord } from './project-store.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export { LATEST_SCHEMA_VERSION, migrations, migrate } from './migrations.ts';
export { applyPlanEdit, applyRecordedStep, replanPlan, validatePlan, type RecordedStep, type ReplanStep } from './plan-edits.ts';
export { defaultDataDir, LIBRARY_FILE } from './data-dir.ts';
