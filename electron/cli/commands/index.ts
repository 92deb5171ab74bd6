import type { CliCommand } from '../command.ts';
import { probeCommand } from './probe.ts';
import { analyzeCommand } from './analyze.ts';
import { rhythmCommand } from './rhythm.ts';
import { syncReportCommand } from './sync-report.ts';
import { planCommand } from './plan.ts';
import { generateCommand } from './generate.ts';
import { scoreCommand } from './score.ts';
import { modelsCommand } from './models.ts';
import { timelineCommand } from './timeline.ts';
import { markersCommand } from './markers.ts';
import { pluginsCommand } from './plugins.ts';
import { infoCommand } from './info.ts';

/** Every `v2m` sub-command, in the order `v2m --help` lists them. */
export const commands: CliCommand[] = [probeCommand, analyzeCommand, rhythmCommand, syncReportCommand, planCommand, generateCommand, scoreCommand, modelsCommand, timelineCommand, markersCommand, pluginsCommand, infoCommand];
