export interface TempoScores {
  pScore: number;
  oneCorrect: boolean;
  bothCorrect: boolean;
}

function validateTempi(t: readonly number[], reference: boolean): void {
  const what = reference ? 'reference tempi' : 'estimated tempi';
  if (t.length !== 2) throw new RangeError(`${what} must have exactly two values, got ${t.length}.`);
  if (!t.every((v) => Number.isFinite(v) && v >= 0)) throw new RangeError(`${what} [${t.join(', ')}] must be non-negative numbers.`);
  if (reference && t.every((v) => v === 0)) throw new RangeError(`reference tempi [${t.join(', ')}] must have one value greater than zero.`);
}

/** mir_eval.tempo.detection: a reference tempo is hit when some estimate is within tol (relative). */
export function tempoDetection(reference: readonly number[], referenceWeight: number, estimated: readonly number[], tol = 0.08): TempoScores {
  validateTempi(reference, true);
  validateTempi(estimated, false);
  if (!(referenceWeight >= 0 && referenceWeight <= 1)) throw new RangeError(`Reference weight must lie in [0, 1], got ${referenceWeight}.`);
  if (!(tol >= 0 && tol <= 1)) throw new RangeError(`Tolerance must lie in [0, 1], got ${tol}.`);
  const hits = reference.map((r) => r > 0 && Math.min(...estimated.map((e) => Math.abs(r - e) / r)) <= tol);
  const pScore = referenceWeight * Number(hits[0]) + (1 - referenceWeight) * Number(hits[1]);
  return { pScore, oneCorrect: hits[0]! || hits[1]!, bothCorrect: hits[0]! && hits[1]! };
}
