// A short fingerprint of a plan's accents, computed the same way by the engine (stored with a
// generation's sync report) and the renderer (to tell at once when that report went stale).
// Pure and dependency-free: it runs in both.

/** The accent fields that change what a sync check measures: where, and how strong. */
export interface KeyedAccent {
  timeSec: number;
  strength: number;
}

/**
 * FNV-1a (64-bit) over the accents in time order, times in whole microseconds and strengths in
 * thousandths, so float noise below what a user can edit never makes a report look stale.
 */
export function accentsKey(accents: readonly KeyedAccent[]): string {
  const parts = accents
    .map((a) => {
      if (!Number.isFinite(a.timeSec) || !Number.isFinite(a.strength)) throw new RangeError(`An accent has a non-finite time or strength (${a.timeSec}, ${a.strength}).`);
      return [Math.round(a.timeSec * 1e6), Math.round(a.strength * 1e3)] as const;
    })
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let h = 0xcbf29ce484222325n;
  const text = parts.map(([t, s]) => `${t}:${s}`).join(',');
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `a${parts.length}-${h.toString(16).padStart(16, '0')}`;
}
