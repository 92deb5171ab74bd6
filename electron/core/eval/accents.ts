import { z } from 'zod';
import type { Accent } from './sync-report.ts';

const accentSchema = z.union([
  z.number(),
  z.object({ time: z.number(), strength: z.number().optional() }),
  // The rhythm plan's own accent shape, so `v2m plan --json` output works as it is.
  z.object({ timeSec: z.number(), strength: z.number().optional() }),
]);
const fileSchema = z.union([z.array(accentSchema), z.object({ accents: z.array(accentSchema) })]);

/**
 * Accepts `[{time, strength?}]` (or `timeSec`, as in a rhythm plan), `{accents: [...]}` — so a
 * whole plan file — or a plain list of times (seconds).
 * A missing strength counts as 1.
 */
export function parseAccents(json: unknown): Accent[] {
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    throw new Error('Accents must be a JSON array of {"time": seconds, "strength": number} (or of times), or {"accents": [...]}.');
  }
  const list = Array.isArray(r.data) ? r.data : r.data.accents;
  return list.map((a) =>
    typeof a === 'number'
      ? { time: a, strength: 1 }
      : { time: 'time' in a ? a.time : a.timeSec, strength: a.strength ?? 1 },
  );
}
