import type { FrameAnalyserConfig, FrameAnalysisResult } from './frame-analyser.ts';

/** Messages between `frame-sink.ts` and `analysis-worker.ts`. */
export type WorkerRequest =
  | { type: 'init'; config: FrameAnalyserConfig }
  | { type: 'frame'; index: number; ptsSec: number; buffer: ArrayBuffer; byteOffset: number; length: number }
  | { type: 'sample'; ptsSec: number; side: number; buffer: ArrayBuffer; byteOffset: number; length: number }
  | { type: 'finish' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'ack'; index: number }
  | { type: 'result'; result: FrameAnalysisResult }
  | { type: 'error'; message: string; stack: string };
