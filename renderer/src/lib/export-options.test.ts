import { describe, expect, it } from 'vitest';
import type { GenerationInfo } from '../../../electron/shared/domain.ts';
import { exportAvailability, groupErrors } from './export-options.ts';
import { exportPath } from './export-paths.ts';

const gen = (roles: Array<GenerationInfo['files'][number]['role']>): GenerationInfo => ({
  id: 'g1', clipId: 'c1', ordinal: 1, generator: 'diffv2m', params: {}, seed: 1, syncReport: null, createdAt: 0,
  files: roles.map((role, i) => ({ role, path: `/g/${i}`, mediaUrl: null })),
});

describe('export options', () => {
  it('disables what cannot apply to the generation, saying why', () => {
    const a = exportAvailability(gen(['music']), undefined);
    expect(a.wav).toBeNull();
    expect(a.markers).toBeNull();
    expect(a.stems).toMatch(/no stems: generate again with stems turned on/);
    expect(a.midi).toMatch(/Only the built-in composer writes MIDI/);
    expect(exportAvailability(gen(['music', 'stem', 'midi']), undefined).stems).toBeNull();
    expect(exportAvailability(null, undefined).mp4).toBe('Generate music first.');
  });

  it('disables the formats this build does not offer', () => {
    const a = exportAvailability(gen(['music']), ['mp4', 'wav', 'markers']);
    expect(a.fcpxml).toBe('This build cannot write Final Cut Pro (FCPXML) yet.');
    expect(a.wav).toBeNull();
  });

  it('folds errors with the same cause into one line', () => {
    expect(groupErrors([
      { label: 'Music (WAV)', message: 'The folder /x does not exist.' },
      { label: 'MIDI', message: 'The folder /x does not exist.' },
      { label: 'Scored video (MP4)', message: 'Disk full.' },
    ])).toEqual(['Music (WAV), MIDI: The folder /x does not exist.', 'Scored video (MP4): Disk full.']);
  });

  it('names every interchange file after the clip', () => {
    expect(exportPath('/out', '/v/cut.mp4', 'fcpxml')).toBe('/out/cut-scored.fcpxml');
    expect(exportPath('/out', '/v/cut.mp4', 'resolve-edl')).toBe('/out/cut-markers-resolve.edl');
  });
});
