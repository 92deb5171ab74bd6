import type { PanelRate } from '../../../electron/shared/panel-protocol.ts';

// Premiere counts time in ticks: 254,016,000,000 per second, chosen so every common frame rate
// is a whole number of ticks per frame. Frames are computed from tick strings with BigInt, so
// an hour-long 59.94 sequence lands on exact frames (no float accumulation).

export const TICKS_PER_SECOND = 254_016_000_000n;

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

function ticksOf(ticks: string): bigint {
  if (!/^-?\d+$/.test(ticks)) throw new Error(`Premiere returned a time that is not a tick count ("${ticks}").`);
  return BigInt(ticks);
}

/** The sequence rate from its timebase (ticks per frame), reduced: 8475667200 → 30000/1001. */
export function rateFromTimebase(timebase: string): PanelRate {
  const perFrame = ticksOf(timebase);
  if (perFrame <= 0n) throw new Error(`The sequence has no frame rate (timebase "${timebase}").`);
  const g = gcd(TICKS_PER_SECOND, perFrame);
  return { num: Number(TICKS_PER_SECOND / g), den: Number(perFrame / g) };
}

/** Nearest frame of a tick time (half a frame rounds up, as Premiere snaps). */
export function ticksToFrame(ticks: string, timebase: string): number {
  const t = ticksOf(ticks);
  const tb = ticksOf(timebase);
  const q = (2n * t + tb) / (2n * tb);
  return Number(t < 0n && (2n * t + tb) % (2n * tb) !== 0n ? q - 1n : q);
}

export function frameToTicks(frame: number, timebase: string): string {
  if (!Number.isInteger(frame)) throw new Error(`Frame ${frame} is not a whole number.`);
  return (BigInt(frame) * ticksOf(timebase)).toString();
}

export function ticksToSeconds(ticks: string): number {
  const t = ticksOf(ticks);
  return Number(t / TICKS_PER_SECOND) + Number(t % TICKS_PER_SECOND) / Number(TICKS_PER_SECOND);
}
