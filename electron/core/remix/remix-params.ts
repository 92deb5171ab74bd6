import { RemixError } from './remix-error.ts';

export interface RemixParams {
  /** The user's track. */
  music: string;
  /** Largest tempo nudge, as a fraction (≤ 0.06). */
  maxStretch?: number;
}

/** The remix's parameters from the API's or the CLI's loose ones. */
export function parseRemixParams(raw: Record<string, unknown>): RemixParams {
  if (typeof raw.music !== 'string' || !raw.music) throw new RemixError('BAD_OPTIONS', 'The remix needs your track: choose a music file.');
  const ms = raw.maxStretch;
  if (ms !== undefined && ms !== null && !(typeof ms === 'number' && ms >= 0 && ms <= 0.06)) {
    throw new RemixError('BAD_OPTIONS', `The tempo nudge must lie within 0..6 %, got ${JSON.stringify(ms)}.`);
  }
  return { music: raw.music, ...(typeof ms === 'number' ? { maxStretch: ms } : {}) };
}
