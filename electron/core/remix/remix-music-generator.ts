import type { MusicGenerator } from '../generation/music-generator.ts';
import { memorySource } from '../mastering/index.ts';
import { parseRemixParams, type RemixParams } from './remix-params.ts';

export type { RemixParams } from './remix-params.ts';
import { remixAudio } from './remix-generator.ts';

/** The user's own track re-arranged onto the cut, as a pipeline generator. */
export const remixGenerator: MusicGenerator<RemixParams> = {
  name: 'remix',
  stages: [{ name: 'track-analysis', weight: 0.45 }, { name: 'arranging', weight: 0.25 }, { name: 'rendering', weight: 0.3 }],
  parseParams: parseRemixParams,
  needsHistograms: () => false,
  async generate(req, p) {
    const a = await remixAudio(req.plan, {
      music: p.music, signal: req.signal, ...(p.maxStretch !== undefined ? { maxStretch: p.maxStretch } : {}),
      onProgress: (x) => req.progress(x.stage, x.fraction),
    });
    const s = a.summary;
    const name = p.music.split(/[\\/]/).pop() ?? p.music;
    return {
      sampleRate: a.sampleRate, mix: memorySource(a.stereo), stems: [], fadeFrames: a.fadeFrames, midi: null,
      details: { remix: s },
      label: `Remix of ${name}, ${s.tempoBpm.toFixed(0)} BPM${Math.abs(s.tempoChangePercent) >= 0.05 ? ` (${s.tempoChangePercent > 0 ? '+' : ''}${s.tempoChangePercent.toFixed(1)} %)` : ''}, ${s.seams.length} seams`,
      dispose: () => undefined,
    };
  },
};
