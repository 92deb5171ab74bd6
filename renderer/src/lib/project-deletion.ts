// The words of the delete confirmation, from the engine's preview. Pure, so the rules are
// specified without a browser.
import type { ProjectDeletionPreview } from '../../../electron/shared/domain.ts';

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function deletionSummary(p: ProjectDeletionPreview): { headline: string; keepsNote: string; busy: string } {
  const parts = [count(p.clips.length, 'clip'), count(p.generations.length, 'generation'), count(p.exports.length, 'export record')];
  const files = p.removes.length ? `; ${count(p.removes.length, 'file')} the app made ${p.removes.length === 1 ? 'is' : 'are'} removed` : '; no files are removed';
  return {
    headline: `This removes ${parts.join(', ')} and the rhythm plans with their undo history${files}. It cannot be undone.`,
    keepsNote: `Kept on disk: ${count(p.keeps.length, 'file')} (your source media and every export).`,
    busy: `${count(p.runningJobs, 'job')} still running for this project: cancel or wait for ${p.runningJobs === 1 ? 'it' : 'them'}, then delete.`,
  };
}
