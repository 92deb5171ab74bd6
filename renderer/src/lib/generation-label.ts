// A generation's name in the list: its stored number and what made it different from the
// others (generator, style, tempo, key, intensity, seed), so two takes can be told apart.
import type { GenerationInfo } from '../../../electron/shared/domain.ts';

const GENERATOR_NAMES: Record<string, string> = { composer: 'Composer', diffv2m: 'Diff-V2M', remix: 'Remix' };

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** "96 BPM", or "96→120 BPM" when the composer changed tempo along the clip. */
function tempoText(tempo: unknown): string | null {
  if (!Array.isArray(tempo)) return num(tempo) === null ? null : `${Math.round(num(tempo)!)} BPM`;
  const bpms = [...new Set(tempo.map((t) => num(obj(t)?.bpm)).filter((b): b is number => b !== null).map((b) => Math.round(b)))];
  return bpms.length ? `${bpms.join('→')} BPM` : null;
}

/** The parts of the label after the number, e.g. ["Composer", "cinematic", "96 BPM", "D minor", "60 %", "seed 1234"]. */
export function generationParts(g: GenerationInfo): string[] {
  const report = obj(g.syncReport);
  const parts: string[] = [GENERATOR_NAMES[g.generator] ?? g.generator];
  if (g.generator === 'composer') {
    const c = obj(report?.composition);
    parts.push(str(c?.style) ?? str(g.params.style) ?? 'default style');
    const tempo = tempoText(c?.tempo) ?? tempoText(g.params.tempo);
    if (tempo) parts.push(tempo);
    if (str(c?.key)) parts.push(str(c?.key)!);
    if (num(g.params.intensity) !== null) parts.push(`${Math.round(num(g.params.intensity)! * 100)} %`);
  } else if (g.generator === 'diffv2m') {
    const d = obj(report?.diffv2m);
    if (str(d?.packName)) parts.push(str(d?.packName)!);
    if (num(d?.steps) !== null) parts.push(`${num(d?.steps)} steps`);
  } else if (g.generator === 'remix') {
    const music = str(g.params.music);
    if (music) parts.push(music.split(/[\\/]/).pop()!);
    const tempo = tempoText(obj(report?.remix)?.tempoBpm);
    if (tempo) parts.push(tempo);
  }
  parts.push(`seed ${g.seed}`);
  return parts;
}

/** "#3 · Composer · cinematic · 96 BPM · D minor · 60 % · seed 1234": the number never changes. */
export function generationLabel(g: GenerationInfo): string {
  return [`#${g.ordinal}`, ...generationParts(g)].join(' · ');
}
