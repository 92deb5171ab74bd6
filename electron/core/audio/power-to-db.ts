/**
 * librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db) in place: 10·log10(max(amin, S)), then
 * floored at max − top_db over the whole array. top_db null is torchaudio's AmplitudeToDB().
 */
export function powerToDbInPlace(s: Float32Array | Float64Array, opts: { amin?: number; topDb?: number | null } = {}): void {
  const amin = opts.amin ?? 1e-10;
  const topDb = opts.topDb === undefined ? 80 : opts.topDb;
  if (!(amin > 0)) throw new RangeError(`amin must be positive, got ${amin}.`);
  if (topDb !== null && !(topDb >= 0)) throw new RangeError(`topDb must be non-negative, got ${topDb}.`);
  let max = -Infinity;
  for (let i = 0; i < s.length; i++) {
    s[i] = 10 * Math.log10(Math.max(amin, s[i]!));
    if (s[i]! > max) max = s[i]!;
  }
  if (topDb === null || s.length === 0) return;
  const floor = s instanceof Float32Array ? Math.fround(max - topDb) : max - topDb;
  for (let i = 0; i < s.length; i++) if (s[i]! < floor) s[i] = floor;
}
