import { analyzeVideo } from '../../video/analyze-video.ts';
import type { VideoAnalysis } from '../../video/video-analysis.ts';
import type { JobContext } from '../job-protocol.ts';

export interface AnalyzeJobInput {
  path: string;
}

// Share of the whole job each analysis stage takes, for one smooth progress bar.
const STAGE_SPAN = { probe: [0, 0.02], frames: [0.02, 0.95], summary: [0.95, 1] } as const;

/** The full visual analysis of a clip (scene cuts, visual rhythm, colour, filmstrip, waveform). */
export async function analyzeJob(input: AnalyzeJobInput, ctx: JobContext): Promise<VideoAnalysis> {
  return analyzeVideo(input.path, {
    signal: ctx.signal,
    onProgress: (p) => {
      const [a, b] = STAGE_SPAN[p.stage];
      ctx.progress(p.stage, a + (b - a) * p.fraction);
    },
  });
}
