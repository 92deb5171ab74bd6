/**
 * Frame rates as exact rationals and SMPTE timecode (non-drop and 29.97/59.94 drop-frame).
 * The one place the project turns frames into HH:MM:SS:FF and back; everything else counts
 * integer frames so no float error accumulates over a long timeline.
 */

/** Frames per second as num/den, e.g. 30000/1001. Always reduced, den ≥ 1. */
export interface FrameRate {
  num: number;
  den: number;
}

export class TimecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimecodeError';
  }
}

const gcd = (a: number, b: number): number => {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

export function makeRate(num: number, den = 1): FrameRate {
  if (!Number.isInteger(num) || !Number.isInteger(den) || num <= 0 || den <= 0) {
    throw new TimecodeError(`A frame rate needs positive whole numbers, got ${num}/${den}.`);
  }
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/** The NTSC rates editors write as decimals, mapped back to their exact form. */
const NTSC: Array<[number, FrameRate]> = [
  [23.976, { num: 24000, den: 1001 }],
  [29.97, { num: 30000, den: 1001 }],
  [47.952, { num: 48000, den: 1001 }],
  [59.94, { num: 60000, den: 1001 }],
  [119.88, { num: 120000, den: 1001 }],
];

/**
 * A decimal fps (from ffprobe, a plan file or the command line) as the rate an editor means:
 * 29.97 → 30000/1001, 25 → 25/1; other values keep three decimals.
 */
export function rateFromFps(fps: number): FrameRate {
  if (!Number.isFinite(fps) || fps <= 0 || fps > 1000) throw new TimecodeError(`Frame rate must be between 0 and 1000 fps, got ${fps}.`);
  for (const [dec, rate] of NTSC) if (Math.abs(fps - dec) < 0.006) return rate;
  if (Math.abs(fps - Math.round(fps)) < 1e-6) return makeRate(Math.round(fps));
  return makeRate(Math.round(fps * 1000), 1000);
}

/** "30000/1001", "29.97", "25" or "25/1" → rate. */
export function parseRate(text: string): FrameRate {
  const t = text.trim();
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
  if (m) return makeRate(Number(m[1]), Number(m[2]));
  if (/^\d+(\.\d+)?$/.test(t)) return rateFromFps(Number(t));
  throw new TimecodeError(`"${text}" is not a frame rate; write it like 25, 29.97 or 30000/1001.`);
}

export const rateToFps = (r: FrameRate): number => r.num / r.den;
export const formatRate = (r: FrameRate): string => `${r.num}/${r.den}`;
export const sameRate = (a: FrameRate, b: FrameRate): boolean => a.num * b.den === b.num * a.den;
/** The whole frames counted per timecode second (30 for 29.97), what FF runs up to. */
export const timebase = (r: FrameRate): number => Math.round(r.num / r.den);
/** Drop-frame timecode exists only for the 29.97 and 59.94 families. */
export const canDropFrame = (r: FrameRate): boolean => r.den === 1001 && (r.num === 30000 || r.num === 60000);

/** Seconds → nearest frame at a rate. */
export const secondsToFrames = (sec: number, r: FrameRate): number => Math.round((sec * r.num) / r.den);
/** Frame → seconds at a rate (exact up to float precision; for display and JSON only). */
export const framesToSeconds = (frame: number, r: FrameRate): number => (frame * r.den) / r.num;

/** An exact rational time in seconds, as FCPXML writes it ("1001/30000s"). */
export interface RationalTime {
  n: number;
  d: number;
}

/** Rational seconds → nearest frame, computed on integers so 2596698013/720000s stays exact. */
export function rationalToFrames(t: RationalTime, r: FrameRate): number {
  const num = BigInt(t.n) * BigInt(r.num);
  const den = BigInt(t.d) * BigInt(r.den);
  // Round half away from zero on exact integers.
  const neg = num < 0n !== den < 0n;
  const an = num < 0n ? -num : num;
  const ad = den < 0n ? -den : den;
  const q = (2n * an + ad) / (2n * ad);
  return Number(neg ? -q : q);
}

/** A frame count as exact rational seconds (reduced). */
export function framesToRational(frame: number, r: FrameRate): RationalTime {
  const n = frame * r.den;
  const d = r.num;
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

const DAY_SEC = 24 * 3600;
const pad = (n: number) => String(n).padStart(2, '0');

/** Frames in 24 h of timecode at this rate (timecode wraps there). */
function framesPerDay(r: FrameRate, dropFrame: boolean): number {
  const tb = timebase(r);
  if (!dropFrame) return tb * DAY_SEC;
  const drop = tb / 15; // 2 at 29.97, 4 at 59.94
  return tb * DAY_SEC - drop * (24 * 60 - 24 * 6);
}

/**
 * Frame count → "HH:MM:SS:FF" (non-drop) or "HH:MM:SS;FF" (drop-frame). Drop-frame skips frame
 * numbers 0 and 1 (0–3 at 59.94) at the start of every minute except each tenth, so the clock
 * stays within a frame of real time.
 */
export function framesToTimecode(frame: number, r: FrameRate, dropFrame = false): string {
  if (!Number.isFinite(frame) || !Number.isInteger(frame)) throw new TimecodeError(`Timecode needs a whole frame number, got ${frame}.`);
  if (dropFrame && !canDropFrame(r)) throw new TimecodeError(`Drop-frame timecode exists only at 29.97 and 59.94 fps, not ${formatRate(r)}.`);
  const tb = timebase(r);
  const day = framesPerDay(r, dropFrame);
  let f = ((frame % day) + day) % day;
  if (dropFrame) {
    const drop = tb / 15;
    const per10Min = tb * 600 - drop * 9;
    const perMin = tb * 60 - drop;
    const tens = Math.floor(f / per10Min);
    const rem = f % per10Min;
    // The first minute of every ten keeps all its frames; the other nine each lose `drop`.
    f += drop * 9 * tens + (rem > drop ? drop * Math.floor((rem - drop) / perMin) : 0);
  }
  const ff = f % tb;
  const s = Math.floor(f / tb);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${dropFrame ? ';' : ':'}${pad(ff)}`;
}

/**
 * "HH:MM:SS:FF" → frame count. A `;` (or `.`/`,` as some tools write) before the frames means
 * drop-frame unless `dropFrame` says otherwise. Errors name the timecode and what is wrong.
 */
export function timecodeToFrames(tc: string, r: FrameRate, dropFrame?: boolean): number {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})([:;.,])(\d{2,3})$/.exec(tc.trim());
  if (!m) throw new TimecodeError(`"${tc}" is not a timecode; expected HH:MM:SS:FF.`);
  const [hh, mm, ss, ff] = [m[1], m[2], m[3], m[5]].map(Number) as [number, number, number, number];
  const df = dropFrame ?? (m[4] === ';' || m[4] === ',' || m[4] === '.');
  const tb = timebase(r);
  if (mm > 59 || ss > 59) throw new TimecodeError(`Timecode "${tc}" has minutes or seconds above 59.`);
  if (ff >= tb) throw new TimecodeError(`Timecode "${tc}" has frame ${ff}, but ${formatRate(r)} fps counts frames 0–${tb - 1}.`);
  if (df && !canDropFrame(r)) throw new TimecodeError(`Timecode "${tc}" is drop-frame, which exists only at 29.97 and 59.94 fps, not ${formatRate(r)}.`);
  const totalMin = hh * 60 + mm;
  let frames = (totalMin * 60 + ss) * tb + ff;
  if (df) {
    const drop = tb / 15;
    if (ss === 0 && ff < drop && mm % 10 !== 0) throw new TimecodeError(`Timecode "${tc}" does not exist in drop-frame: frames 0–${drop - 1} are skipped at the start of that minute.`);
    frames -= drop * (totalMin - Math.floor(totalMin / 10));
  }
  return frames;
}
