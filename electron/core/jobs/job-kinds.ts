import type { JobKind } from './job-protocol.ts';

// Built to out/ the job modules are .js next to this file; from source they are .ts.
const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
const job = (rel: string) => new URL(`${rel}.${ext}`, import.meta.url);

/** The jobs this build can run. Generators and exporters add their kinds here as they land. */
export const builtInJobKinds: readonly JobKind[] = [
  { name: 'filmstrip', module: job('./kinds/filmstrip-job'), exportName: 'filmstripJob' },
  { name: 'analyze', module: job('./kinds/analyze-job'), exportName: 'analyzeJob' },
  { name: 'rhythm-predict', module: job('../models/rhythm-predict-job'), exportName: 'rhythmPredictJob' },
  // Every generator (composer, diffv2m, remix) runs through the one generation pipeline.
  { name: 'generate', module: job('../generation/generate-job'), exportName: 'generateJob' },
  // The sync check again on a stored generation, against the plan as it is now.
  { name: 'measure-sync', module: job('../generation/measure-sync-job'), exportName: 'measureSyncJob' },
  ...(['mp4', 'wav', 'stems', 'midi', 'markers', 'fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio'] as const).map((k) => ({
    name: `export-${k}`,
    module: job('./kinds/export-job'),
    exportName: 'exportJob',
  })),
  { name: 'conform', module: job('./kinds/conform-job'), exportName: 'conformJob' },
];
