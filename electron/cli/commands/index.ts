import type { CliCommand } from '../command.ts';

/**
 * Every `v2m` sub-command, in the order `v2m --help` lists them, each loaded only when it runs:
 * the commands between them pull in the whole engine (the synthesizer, onnxruntime, the XML
 * parser…), which would cost a remix or an analysis a few hundred ms of start-up.
 */
export const commandLoaders: readonly { name: string; load: () => Promise<CliCommand> }[] = [
  { name: 'probe', load: async () => (await import('./probe.ts')).probeCommand },
  { name: 'analyze', load: async () => (await import('./analyze.ts')).analyzeCommand },
  { name: 'rhythm', load: async () => (await import('./rhythm.ts')).rhythmCommand },
  { name: 'sync-report', load: async () => (await import('./sync-report.ts')).syncReportCommand },
  { name: 'plan', load: async () => (await import('./plan.ts')).planCommand },
  { name: 'generate', load: async () => (await import('./generate.ts')).generateCommand },
  { name: 'score', load: async () => (await import('./score.ts')).scoreCommand },
  { name: 'models', load: async () => (await import('./models.ts')).modelsCommand },
  { name: 'timeline', load: async () => (await import('./timeline.ts')).timelineCommand },
  { name: 'markers', load: async () => (await import('./markers.ts')).markersCommand },
  { name: 'plugins', load: async () => (await import('./plugins.ts')).pluginsCommand },
  { name: 'info', load: async () => (await import('./info.ts')).infoCommand },
];

/** All of them (for the help text). */
export async function loadAllCommands(): Promise<CliCommand[]> {
  return Promise.all(commandLoaders.map((c) => c.load()));
}
