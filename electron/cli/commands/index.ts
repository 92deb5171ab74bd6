import type { CliCommand } from '../command.ts';
import { probeCommand } from './probe.ts';
import { rhythmCommand } from './rhythm.ts';
import { syncReportCommand } from './sync-report.ts';

/** Every `v2m` sub-command, in the order `v2m --help` lists them. */
export const commands: CliCommand[] = [probeCommand, rhythmCommand, syncReportCommand];
