/** Readable colour descriptors of one frame. */
export interface ColourStats {
  /** Mean BT.601 luma, 0..1. */
  brightness: number;
  /** Mean HSV saturation (max − min) / max, 0..1. */
  saturation: number;
  /** Mean (R − B) / 255, −1 (cold, blue) .. 1 (warm, red/orange). */
  warmth: number;
  /**
   * Hasler & Süsstrunk (2003) colourfulness M = σ_rgyb + 0.3·μ_rgyb with rg = R − G,
   * yb = (R + G)/2 − B on 0..255 values. About 0 for grey, 33 "moderately", 59 "quite",
   * 82 "highly", 109+ "extremely" colourful.
   */
  colourfulness: number;
}

/** Descriptors of a packed 8-bit RGB image. */
export function colourStats(rgb: Uint8Array): ColourStats {
  const n = Math.floor(rgb.length / 3);
  if (n === 0 || rgb.length % 3 !== 0) throw new RangeError(`colourStats: expected packed RGB bytes, got ${rgb.length}.`);
  let y = 0, sat = 0, warm = 0;
  let rgS = 0, rgS2 = 0, ybS = 0, ybS2 = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = rgb[j]!, g = rgb[j + 1]!, b = rgb[j + 2]!;
    y += 0.299 * r + 0.587 * g + 0.114 * b;
    const mx = r > g ? (r > b ? r : b) : g > b ? g : b;
    const mn = r < g ? (r < b ? r : b) : g < b ? g : b;
    if (mx > 0) sat += (mx - mn) / mx;
    warm += r - b;
    const rg = r - g;
    const yb = 0.5 * (r + g) - b;
    rgS += rg;
    rgS2 += rg * rg;
    ybS += yb;
    ybS2 += yb * yb;
  }
  const muRg = rgS / n, muYb = ybS / n;
  const varRg = Math.max(0, rgS2 / n - muRg * muRg);
  const varYb = Math.max(0, ybS2 / n - muYb * muYb);
  return {
    brightness: y / n / 255,
    saturation: sat / n,
    warmth: warm / n / 255,
    colourfulness: Math.sqrt(varRg + varYb) + 0.3 * Math.sqrt(muRg * muRg + muYb * muYb),
  };
}
