// Which exports can apply to a generation, and errors folded by cause. Pure, so the dialog's
// rules are specified without a browser.
import type { ExportKind, GenerationInfo } from '../../../electron/shared/domain.ts';
import { EXPORT_KINDS } from './export-paths.ts';

/** Per kind: null when it can be exported, else the reason it cannot (shown next to the option). */
export function exportAvailability(g: GenerationInfo | null, offered: readonly ExportKind[] | undefined): Record<ExportKind, string | null> {
  const has = (role: GenerationInfo['files'][number]['role']) => !!g?.files.some((f) => f.role === role);
  const out = {} as Record<ExportKind, string | null>;
  for (const { kind, label } of EXPORT_KINDS) {
    let why: string | null = null;
    if (offered && !offered.includes(kind)) why = `This build cannot write ${label} yet.`;
    else if (!g) why = 'Generate music first.';
    else if (kind === 'stems' && !has('stem')) why = 'This generation has no stems: generate again with stems turned on.';
    else if (kind === 'midi' && !has('midi')) why = 'Only the built-in composer writes MIDI; this generation has none.';
    else if ((kind === 'mp4' || kind === 'wav') && !has('music') && !has('mix')) why = 'This generation has no audio file.';
    out[kind] = why;
  }
  return out;
}

/** One line per distinct message, naming every export it stopped: "Music (WAV), MIDI: …". */
export function groupErrors(failures: ReadonlyArray<{ label: string; message: string }>): string[] {
  const by = new Map<string, string[]>();
  for (const f of failures) by.set(f.message, [...(by.get(f.message) ?? []), f.label]);
  return [...by].map(([message, labels]) => `${labels.join(', ')}: ${message}`);
}
