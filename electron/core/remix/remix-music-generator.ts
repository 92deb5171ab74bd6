import type { MusicGenerator } from '../generation/music-generator.ts';
import { memorySource } from '../mastering/index.ts';
import { parseRemixParams, type RemixParams } from './remix-params.ts';

export type { RemixParams } from './remix-params.ts';
import { remixAudio } from './remix-generator.ts';

/** " (−2.0 to +2.0 %)" for the per-segment nudges, "" when every segment plays as recorded. */
function nudgeLabel(changes: number[]): string {
  const lo = Math.min(...changes), hi = Math.max(...changes);
  if (!changes.length || (Math.abs(lo) < 0.05 && Math.abs(hi) < 0.05)) return '';
  const f = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)} %`;
  return hi - lo < 0.05 ? ` (${f(lo)})` : ` (${f(lo)} to ${f(hi)})`;
}

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
      label: `Remix of ${name}, ${s.tempoBpm.toFixed(0)} BPM${nudgeLabel(s.tempo.map((t) => t.changePercent))}, ${s.seams.length} seams`,
      dispose: () => undefined,
    };
  },
};
