// The tempo offered in the toolbar before the user locks one.
//
// Rule (shown in the UI): the tempo between 70 and 180 BPM whose beats best explain the gaps
// between accents (each gap close to a whole number of beats), with a mild preference for tempi
// near 120; the previous suggestion is kept while it still fits within 5 % of the best, so
// moving or adding one accent never makes the number jump to an unrelated tempo.

export const TEMPO_RULE =
  'Suggested from the accents: the tempo (70–180 BPM) whose beats best fit the gaps between them. It stays put while it still fits within 5 % of the best, so one accent edit does not make it jump.';

const MIN_BPM = 70;
const MAX_BPM = 180;

/** How well a tempo explains the gaps: 1 when every gap is a whole number of beats. */
export function tempoFit(gaps: readonly number[], bpm: number): number {
  if (gaps.length === 0) return 0;
  const beat = 60 / bpm;
  let sum = 0;
  for (const g of gaps) {
    const beats = g / beat;
    const off = beats < 0.5 ? 0.5 : Math.abs(beats - Math.round(beats));
    sum += Math.exp(-((off / 0.12) ** 2) / 2);
  }
  // Log-normal prior around 120 BPM, as tempo trackers use, so doubling is not free.
  const prior = Math.exp(-((Math.log2(bpm / 120) / 1.2) ** 2) / 2);
  return (sum / gaps.length) * (0.85 + 0.15 * prior);
}

/** Suggested tempo in BPM (0.5 BPM steps), or null with fewer than two markers. */
export function suggestTempo(times: readonly number[], previous: number | null = null): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const g = times[i]! - times[i - 1]!;
    if (g > 0.05) gaps.push(g);
  }
  if (gaps.length === 0) return null;
  let best = MIN_BPM;
  let bestFit = -1;
  for (let b = MIN_BPM; b <= MAX_BPM; b += 0.5) {
    const f = tempoFit(gaps, b);
    if (f > bestFit + 1e-12) {
      best = b;
      bestFit = f;
    }
  }
  if (previous !== null && previous >= MIN_BPM && previous <= MAX_BPM && tempoFit(gaps, previous) >= 0.95 * bestFit) return previous;
  return best;
}
