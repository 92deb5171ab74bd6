import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateBeats } from '../../../electron/core/eval/beat-metrics.ts';
import { matchPairs } from '../../../electron/core/eval/events.ts';
import { onsetFMeasure } from '../../../electron/core/eval/onset-metrics.ts';
import { tempoDetection } from '../../../electron/core/eval/tempo-metrics.ts';
import { sharedData } from '../../helpers/paths.ts';

const dataDir = path.join(sharedData, 'mir_eval/tests/data');
const fixtures = JSON.parse(readFileSync(path.join(sharedData, 'reference-fixtures/eval_fixtures.json'), 'utf8'));

/** mir_eval.io.load_delimited: whitespace-separated columns, '#' comments skipped. */
function loadColumns(file: string): number[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => l.trim().split(/\s+/).map(Number));
}
const loadEvents = (file: string) => Float64Array.from(loadColumns(file), (r) => r[0]!);
const cases = (area: string) =>
  readdirSync(path.join(dataDir, area)).filter((f) => /^output\d+\.json$/.test(f)).map((f) => f.match(/\d+/)![0]).sort();

const TOL = 1e-9;

describe('mir_eval.onset.evaluate conformance (10 repo cases)', () => {
  const ids = cases('onset');
  it('has the 10 cases', () => expect(ids.length).toBe(10));
  it.each(ids)('case %s', (id) => {
    const ref = loadEvents(path.join(dataDir, 'onset', `ref${id}.txt`));
    const est = loadEvents(path.join(dataDir, 'onset', `est${id}.txt`));
    const want = JSON.parse(readFileSync(path.join(dataDir, 'onset', `output${id}.json`), 'utf8'));
    const got = onsetFMeasure(ref, est);
    expect(Math.abs(got.fMeasure - want['F-measure'])).toBeLessThanOrEqual(TOL);
    expect(Math.abs(got.precision - want.Precision)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(got.recall - want.Recall)).toBeLessThanOrEqual(TOL);
  });
});

describe('mir_eval.beat.evaluate conformance (10 repo cases, all ten scores)', () => {
  const ids = cases('beat');
  it('has the 10 cases', () => expect(ids.length).toBe(10));
  const keys: Array<[string, keyof ReturnType<typeof evaluateBeats>]> = [
    ['F-measure', 'fMeasure'],
    ['Cemgil', 'cemgil'],
    ['Cemgil Best Metric Level', 'cemgilBestMetricLevel'],
    ['Goto', 'goto'],
    ['P-score', 'pScore'],
    ['Correct Metric Level Continuous', 'cmlC'],
    ['Correct Metric Level Total', 'cmlT'],
    ['Any Metric Level Continuous', 'amlC'],
    ['Any Metric Level Total', 'amlT'],
    ['Information gain', 'informationGain'],
  ];
  it.each(ids)('case %s', (id) => {
    const ref = loadEvents(path.join(dataDir, 'beat', `ref${id}.txt`));
    const est = loadEvents(path.join(dataDir, 'beat', `est${id}.txt`));
    const want = JSON.parse(readFileSync(path.join(dataDir, 'beat', `output${id}.json`), 'utf8'));
    const got = evaluateBeats(ref, est);
    for (const [name, key] of keys) {
      expect(Math.abs(got[key] - want[name]), `${name}: ${got[key]} vs ${want[name]}`).toBeLessThanOrEqual(TOL);
    }
    // Untrimmed F from the fixture file (evaluateBeats with no trimming).
    expect(Math.abs(evaluateBeats(ref, est, -Infinity).fMeasure - fixtures.repo_beat_f[Number(id)].f_untrimmed)).toBeLessThanOrEqual(TOL);
  });
});

describe('mir_eval.tempo.detection conformance', () => {
  const ids = cases('tempo');
  it.each(ids)('case %s', (id) => {
    const ref = loadColumns(path.join(dataDir, 'tempo', `ref${id}.lab`))[0]!;
    const est = loadColumns(path.join(dataDir, 'tempo', `est${id}.lab`))[0]!;
    const want = JSON.parse(readFileSync(path.join(dataDir, 'tempo', `output${id}.json`), 'utf8'));
    const got = tempoDetection(ref.slice(0, 2), ref[2]!, est.slice(0, 2));
    expect(Math.abs(got.pScore - want['P-score'])).toBeLessThanOrEqual(TOL);
    expect(got.oneCorrect).toBe(want['One-correct']);
    expect(got.bothCorrect).toBe(want['Both-correct']);
  });
  it('rejects the tempi mir_eval’s tests reject, and bad weights, with clear errors', () => {
    const bad = [[-1, -1], [-1, 0], [-1, 50], [0, 1, 2], [0]];
    for (const t of bad) {
      expect(() => tempoDetection(t, 0.5, [120, 180])).toThrow(/reference tempi/);
      expect(() => tempoDetection([60, 120], 0.5, t)).toThrow(/estimated tempi/);
    }
    expect(() => tempoDetection([0, 0], 0.5, [60, 120])).toThrow(/one value greater than zero/);
    for (const w of [-1, 1.5]) expect(() => tempoDetection([60, 120], w, [60, 120])).toThrow(/weight/);
    // Zero estimates are allowed.
    expect(tempoDetection([60, 120], 0.5, [0, 0]).pScore).toBe(0);
  });
});

describe('matching and validation', () => {
  it('matches the toy fixture (F, P, R and the matched pairs)', () => {
    const { ref, est, f_p_r } = fixtures.toy_onset;
    const got = onsetFMeasure(ref, est);
    expect([got.fMeasure, got.precision, got.recall]).toEqual(f_p_r);
    expect(matchPairs(ref, est, 0.05)).toEqual(fixtures['toy_match_events_0.05']);
    expect(matchPairs(ref, est, 0.07)).toEqual(fixtures['toy_match_events_0.07']);
  });
  it('returns zeros for empty lists and rejects unsorted or huge times', () => {
    expect(onsetFMeasure([], [1])).toEqual({ fMeasure: 0, precision: 0, recall: 0 });
    expect(() => onsetFMeasure([2, 1], [1])).toThrow(/increasing order/);
    expect(() => onsetFMeasure([1], [40000])).toThrow(/seconds/);
    expect(evaluateBeats([], [6, 7]).fMeasure).toBe(0);
  });
});
