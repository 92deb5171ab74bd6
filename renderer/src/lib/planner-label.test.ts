import { describe, expect, it } from 'vitest';
import type { PlanPlanner, PlannerOption } from '../../../electron/shared/domain.ts';
import { currentKey, deviceNote, optionKey, optionLabel, plannerLabel, plannerShortLabel } from './planner-label.ts';

const tiny: PlanPlanner = {
  kind: 'neural', id: 'diffv2m-rhythm:diffv2m-tiny', pack: { name: 'diffv2m-tiny', version: '', randomWeights: true },
  device: { provider: 'cpu', requested: 'auto', fallbackReason: 'CUDA provider not installed' },
};
const option = (o: Partial<PlannerOption>): PlannerOption => ({ kind: 'neural', pack: 'diffv2m-tiny', packVersion: null, randomWeights: false, available: true, reason: null, ...o });

describe('planner labels', () => {
  it('names the built-in planner for plans that never recorded one', () => {
    expect(plannerLabel(undefined)).toBe('built-in planner');
    expect(plannerLabel({ kind: 'heuristic', id: 'heuristic-1' })).toBe('built-in planner');
    expect(currentKey(undefined)).toBe('heuristic');
  });

  it('names the pack and says when its weights are random', () => {
    expect(plannerLabel(tiny)).toBe('rhythm predictor (diffv2m-tiny, test pack, random weights)');
    expect(plannerShortLabel(tiny)).toBe('rhythm predictor (diffv2m-tiny, test pack)');
    expect(plannerShortLabel(undefined)).toBe('built-in planner');
    expect(plannerLabel({ ...tiny, pack: { name: 'diffv2m', version: '1', randomWeights: false } })).toBe('rhythm predictor (diffv2m)');
    // A record without its pack still names it from the planner id.
    expect(plannerLabel({ kind: 'neural', id: 'diffv2m-rhythm:other' })).toBe('rhythm predictor (other)');
    expect(optionLabel(option({ randomWeights: true }))).toBe('Rhythm predictor (diffv2m-tiny, test pack, random weights)');
    expect(optionLabel(option({ pack: null, available: false }))).toBe('Rhythm predictor');
    expect(optionLabel(option({ kind: 'heuristic', pack: null }))).toBe('Built-in planner');
  });

  it('says where the predictor ran and why not on the GPU', () => {
    expect(deviceNote(tiny)).toBe('Ran on the CPU: CUDA provider not installed');
    expect(deviceNote({ ...tiny, device: { provider: 'cuda', requested: 'auto', fallbackReason: null } })).toBe('Ran on the GPU (CUDA).');
    expect(deviceNote(undefined)).toBe('');
  });

  it('matches the plan\'s planner to its option', () => {
    expect(currentKey(tiny)).toBe(optionKey(option({})));
    expect(currentKey({ kind: 'heuristic', id: 'heuristic-1' })).toBe(optionKey(option({ kind: 'heuristic', pack: null })));
  });
});
