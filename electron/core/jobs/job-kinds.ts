import type { JobKind } from './job-protocol.ts';

/** The jobs this build can run. Generators and exporters add their kinds here as they land. */
export const builtInJobKinds: readonly JobKind[] = [
  { name: 'filmstrip', module: new URL('./kinds/filmstrip-job.ts', import.meta.url), exportName: 'filmstripJob' },
  { name: 'analyze', module: new URL('./kinds/analyze-job.ts', import.meta.url), exportName: 'analyzeJob' },
  { name: 'rhythm-predict', module: new URL('../models/rhythm-predict-job.ts', import.meta.url), exportName: 'rhythmPredictJob' },
  { name: 'generate-diffv2m', module: new URL('../diffusion/generate-job.ts', import.meta.url), exportName: 'generateDiffV2mJob' },
  { name: 'generate-composer', module: new URL('../compose/generate-job.ts', import.meta.url), exportName: 'generateComposerJob' },
  ...(['mp4', 'wav', 'stems', 'midi', 'markers', 'fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio'] as const).map((k) => ({
    name: `export-${k}`,
    module: new URL('./kinds/export-job.ts', import.meta.url),
    exportName: 'exportJob',
  })),
  { name: 'conform', module: new URL('./kinds/conform-job.ts', import.meta.url), exportName: 'conformJob' },
];
