import { fMeasure, matchCount, validateEvents } from './events.ts';

export interface OnsetScores {
  fMeasure: number;
  precision: number;
  recall: number;
}

/** mir_eval.onset.f_measure(reference, estimated, window=0.05). Times in seconds, sorted. */
export function onsetFMeasure(reference: ArrayLike<number>, estimated: ArrayLike<number>, window = 0.05): OnsetScores {
  validateEvents(reference, 'reference onsets');
  validateEvents(estimated, 'estimated onsets');
  if (reference.length === 0 || estimated.length === 0) return { fMeasure: 0, precision: 0, recall: 0 };
  const m = matchCount(reference, estimated, window);
  const precision = m / estimated.length;
  const recall = m / reference.length;
  return { fMeasure: fMeasure(precision, recall), precision, recall };
}
