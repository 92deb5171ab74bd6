import { describe, expect, it } from 'vitest';
import type { GenerationInfo } from '../../../electron/shared/domain.ts';
import { generationLabel } from './generation-label.ts';

const gen = (o: Partial<GenerationInfo>): GenerationInfo => ({
  id: 'g', clipId: 'c', ordinal: 1, generator: 'composer', params: {}, seed: 1, files: [], syncReport: null, createdAt: 0, ...o,
});

describe('generation labels', () => {
  it('say the stored number, generator, style, tempo, key, intensity and seed', () => {
    const g = gen({
      ordinal: 3, seed: 1234, params: { style: 'cinematic', intensity: 0.6, tempo: null },
      syncReport: { composition: { style: 'cinematic', key: 'D minor', seed: 1234, tempo: [{ startSec: 0, endSec: 9, bpm: 96.2 }] } },
    });
    expect(generationLabel(g)).toBe('#3 · Composer · cinematic · 96 BPM · D minor · 60 % · seed 1234');
  });

  it('keep their number whatever their place in the list', () => {
    const list = [gen({ ordinal: 7 }), gen({ ordinal: 2 })];
    expect(list.map((g) => generationLabel(g).split(' · ')[0])).toEqual(['#7', '#2']);
  });

  it('show a tempo change, a locked tempo before the report, and the other generators', () => {
    expect(generationLabel(gen({ syncReport: { composition: { style: 'lofi', key: 'A major', tempo: [{ bpm: 90 }, { bpm: 120 }] } } })))
      .toBe('#1 · Composer · lofi · 90→120 BPM · A major · seed 1');
    expect(generationLabel(gen({ params: { style: 'ambient', tempo: 100 } }))).toBe('#1 · Composer · ambient · 100 BPM · seed 1');
    expect(generationLabel(gen({ generator: 'diffv2m', ordinal: 2, seed: 3, syncReport: { diffv2m: { packName: 'diffv2m-tiny', steps: 4 } } })))
      .toBe('#2 · Diff-V2M · diffv2m-tiny · 4 steps · seed 3');
    expect(generationLabel(gen({ generator: 'remix', params: { music: '/m/My Song.wav' }, syncReport: { remix: { tempoBpm: 121.6 } } })))
      .toBe('#1 · Remix · My Song.wav · 122 BPM · seed 1');
  });
});
