import { STYLE_NAMES } from './styles.ts';

export interface ComposerParams {
  style?: string;
  /** Locked tempo, BPM. */
  tempo?: number | null;
  /** 0..1; 0.5 follows the picture. */
  intensity?: number;
  /** Render one synthesizer per part so the stems can be written. */
  stems?: boolean;
}

/** A number within [lo, hi], or undefined when absent; a clear RangeError otherwise. */
export function numberParam(raw: unknown, name: string, lo: number, hi: number, integer = false): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new RangeError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

/** The composer's parameters from the API's or the CLI's loose ones. */
export function parseComposerParams(raw: Record<string, unknown>): ComposerParams {
  const style = raw.style;
  if (style !== undefined && style !== null && (typeof style !== 'string' || !(STYLE_NAMES as readonly string[]).includes(style))) {
    throw new Error(`Unknown style "${String(style)}": choose one of ${STYLE_NAMES.join(', ')}.`);
  }
  return {
    ...(typeof style === 'string' ? { style } : {}),
    tempo: numberParam(raw.tempo, 'The tempo', 40, 240) ?? null,
    ...(raw.intensity !== undefined ? { intensity: numberParam(raw.intensity, 'The intensity', 0, 1)! } : {}),
    stems: raw.stems === true,
  };
}
