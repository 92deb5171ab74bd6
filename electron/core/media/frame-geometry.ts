/** Pure size arithmetic for the frame streams. */

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * PySceneDetect 0.6.6 auto-downscale: factor = longer side / 256 (when over 256), each side
 * becomes max(1, round(side / factor)). The longer side ends up exactly 256.
 */
export function analysisSize(width: number, height: number, target = 256): { width: number; height: number } {
  const longer = Math.max(width, height);
  if (longer < target) return { width, height };
  const factor = longer / target;
  if (factor <= 1) return { width, height };
  return { width: Math.max(1, roundHalfEven(width / factor)), height: Math.max(1, roundHalfEven(height / factor)) };
}

/** Size to scale to so that the shorter side equals `side`, before a centre crop to side×side. */
export function coverSize(width: number, height: number, side: number): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: side, height: side };
  const s = side / Math.min(width, height);
  return { width: Math.max(side, Math.round(width * s)), height: Math.max(side, Math.round(height * s)) };
}

/** Width for a thumbnail of the given height, kept even because JPEG's 4:2:0 prefers it. */
export function thumbnailWidth(width: number, height: number, thumbHeight: number): number {
  if (height <= 0) return thumbHeight;
  return Math.max(2, 2 * Math.round((width * thumbHeight) / height / 2));
}

/** ffmpeg `select` expression keeping the first frame of each `intervalSec`-long bucket. */
export function everyIntervalSelect(intervalSec: number): string {
  const i = Number(intervalSec.toPrecision(12));
  return i === 1
    ? `select='isnan(prev_selected_t)+gte(floor(t)-floor(prev_selected_t),1)'`
    : `select='isnan(prev_selected_t)+gte(floor(t/${i})-floor(prev_selected_t/${i}),1)'`;
}
