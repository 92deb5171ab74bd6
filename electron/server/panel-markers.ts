import type { PanelMarker, PanelMarkerKind, PanelRate } from '../shared/panel-protocol.ts';
import { secToFrame } from './panel-sequence.ts';

// The plan's cuts and accents as markers to place on the editor's sequence. Edit points and the
// sequence's own markers are already in the editor, so they are not placed a second time.

/** One colour name per kind; each panel maps it onto its editor's palette. */
export const KIND_COLOR: Record<PanelMarkerKind, string> = {
  cut: 'blue',
  edit: 'cyan',
  accent: 'yellow',
  'visual-beat': 'green',
  user: 'purple',
  downbeat: 'red',
};

const KIND_NAME: Record<PanelMarkerKind, string> = {
  cut: 'Cut',
  edit: 'Edit',
  accent: 'Accent',
  'visual-beat': 'Visual beat',
  user: 'Accent (user)',
  downbeat: 'Downbeat',
};

/** A plan entry as the plan stores it: a bare time, or an object with its own id and kind. */
type PlanPoint = number | { timeSec: number; id?: string; kind?: string; strength?: number };

export interface PlanForMarkers {
  cuts: readonly PlanPoint[];
  accents: readonly PlanPoint[];
}

export interface MarkerContext {
  rate: PanelRate;
  durationFrames: number;
  /** Frames the editor already marks: its edit points and its own markers. */
  editFrames: readonly number[];
  sequenceMarkerFrames: readonly number[];
}

const timeOf = (p: PlanPoint): number => (typeof p === 'number' ? p : p.timeSec);

function accentKind(p: PlanPoint): PanelMarkerKind {
  const k = typeof p === 'number' ? undefined : p.kind;
  return k === 'visual-beat' ? 'visual-beat' : k === 'user' ? 'user' : 'accent';
}

export function placementMarkers(plan: PlanForMarkers, ctx: MarkerContext): PanelMarker[] {
  const near = (frames: readonly number[], f: number): boolean => frames.some((x) => Math.abs(x - f) <= 1);
  const out: PanelMarker[] = [];
  const add = (p: PlanPoint, kind: PanelMarkerKind, index: number, what: string): void => {
    const frame = secToFrame(timeOf(p), ctx.rate);
    if (frame < 0 || frame >= ctx.durationFrames) return;
    const strength = typeof p === 'number' ? undefined : p.strength;
    const planId = typeof p === 'number' ? undefined : p.id;
    out.push({
      id: `v2m-${what}-${planId ?? index}`,
      frame,
      durationFrames: 0,
      name: `V2M ${KIND_NAME[kind]}`,
      note: `V2M Studio ${what} ${index + 1}${strength !== undefined ? `, strength ${strength.toFixed(2)}` : ''}`,
      kind,
      color: KIND_COLOR[kind],
    });
  };
  plan.cuts.forEach((c, i) => {
    const f = secToFrame(timeOf(c), ctx.rate);
    if (!near(ctx.editFrames, f)) add(c, 'cut', i, 'cut');
  });
  plan.accents.forEach((a, i) => {
    const f = secToFrame(timeOf(a), ctx.rate);
    if (!near(ctx.sequenceMarkerFrames, f)) add(a, accentKind(a), i, 'accent');
  });
  return out.sort((a, b) => a.frame - b.frame);
}
