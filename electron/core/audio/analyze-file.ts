import { probe } from '../media/index.ts';
import { monoChunks } from './decode-mono.ts';
import { RhythmAnalyzer, type RhythmAnalysis, type RhythmAnalysisOptions } from './rhythm-analyzer.ts';

export interface AnalyzeFileOptions extends Omit<RhythmAnalysisOptions, 'expectedSamples'> {
  signal?: AbortSignal;
  onProgress?: (p: { stage: string; fraction: number }) => void;
}

/**
 * Decodes the file's first audio stream (soxr-resampled to the analysis rate, channels
 * averaged) and analyses it in one streaming pass; memory does not hold the audio.
 */
export async function analyzeRhythmFile(filePath: string, o: AnalyzeFileOptions = {}): Promise<RhythmAnalysis> {
  const sampleRate = o.sampleRate ?? 44100;
  const info = await probe(filePath, { signal: o.signal });
  const expected = info.durationSec > 0 ? Math.round(info.durationSec * sampleRate) : undefined;
  const analyzer = new RhythmAnalyzer({ ...o, sampleRate, expectedSamples: expected });
  try {
    o.onProgress?.({ stage: 'decode', fraction: 0 });
    for await (const chunk of monoChunks(filePath, {
      sampleRate,
      info,
      signal: o.signal,
      onProgress: (f) => o.onProgress?.({ stage: 'decode', fraction: f }),
    })) {
      analyzer.push(chunk);
    }
    o.onProgress?.({ stage: 'analyse', fraction: 0 });
    const result = analyzer.finish();
    o.onProgress?.({ stage: 'analyse', fraction: 1 });
    return result;
  } finally {
    // A cancelled or failed decode must not leave a spilled temporary file behind.
    analyzer.dispose();
  }
}
