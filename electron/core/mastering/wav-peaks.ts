import { WaveformPeaksBuilder, type WaveformPeaks } from '../video/waveform-peaks.ts';
import { readWavInfo, wavMonoChunks } from './wav-reader.ts';

/** The waveform pyramid of a WAV file (the mono mix), streamed: the same builder as the clip's audio. */
export function wavPeaks(file: string): WaveformPeaks {
  const info = readWavInfo(file);
  const b = new WaveformPeaksBuilder(info.sampleRate, 1);
  for (const chunk of wavMonoChunks(file)) b.push(chunk);
  return b.finish();
}
