/**
 * Deterministic pseudo-random bytes: s ← s·1664525 + 1013904223 (mod 2^32), byte = s >> 24.
 * Reference hashes in the tests were computed on exactly these bytes.
 */
export function lcgBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}
