/** A single satisfiable byte range, inclusive ends, as HTTP means it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header against a file size. Returns null when there is no usable header
 * (serve the whole file), 'unsatisfiable' for 416, or the range. Multi-range requests get the
 * first range only, which media elements never mind.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  if (size === 0) return 'unsatisfiable';
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
