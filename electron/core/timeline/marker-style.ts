import type { MarkerKind } from './editor-timeline.ts';

/** What a marker of each kind is called and coloured in the editor, so kinds read at a glance. */
export const KIND_LABEL: Record<MarkerKind, string> = {
  edit: 'Edit',
  cut: 'Cut',
  'visual-beat': 'Visual beat',
  accent: 'Accent',
  user: 'User',
  downbeat: 'Downbeat',
};

export const KIND_COLOR: Record<MarkerKind, string> = {
  edit: 'white',
  cut: 'red',
  'visual-beat': 'cyan',
  accent: 'yellow',
  user: 'green',
  downbeat: 'purple',
};

export const MARKER_KINDS = Object.keys(KIND_LABEL) as MarkerKind[];

/** The note our writers add ("v2m:accent:0.82"), so a round trip keeps kind and strength. */
export function markerTag(kind: MarkerKind, strength?: number): string {
  return strength === undefined ? `v2m:${kind}` : `v2m:${kind}:${strength.toFixed(2)}`;
}

/** The marker name our writers use: "Accent 0.82", "Cut 1.00", "User". */
export function markerName(kind: MarkerKind, strength?: number): string {
  return strength === undefined ? KIND_LABEL[kind] : `${KIND_LABEL[kind]} ${strength.toFixed(2)}`;
}

/**
 * Kind and strength of a marker read back: from our tag in the note, else from a name exactly
 * in our writers' form (EDL markers have no note), else a user marker (placed by hand).
 */
export function kindFromMarker(name: string, note: string): { kind: MarkerKind; strength?: number } {
  const tag = /\bv2m:([a-z-]+)(?::([0-9.]+))?/.exec(note) ?? /\bv2m:([a-z-]+)(?::([0-9.]+))?/.exec(name);
  if (tag && (MARKER_KINDS as string[]).includes(tag[1]!)) {
    const kind = tag[1] as MarkerKind;
    return tag[2] !== undefined ? { kind, strength: Number(tag[2]) } : { kind };
  }
  for (const kind of MARKER_KINDS) {
    const m = new RegExp(`^${KIND_LABEL[kind]}(?: ([01]\\.\\d\\d))?$`).exec(name.trim());
    if (m) return m[1] !== undefined ? { kind, strength: Number(m[1]) } : { kind };
  }
  return { kind: 'user' };
}

/** Strips our tag from a note for display. */
export const untaggedNote = (note: string): string => note.replace(/\s*\bv2m:[a-z-]+(?::[0-9.]+)?\s*/g, ' ').trim();
