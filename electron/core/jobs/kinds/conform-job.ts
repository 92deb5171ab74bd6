import { statSync } from 'node:fs';
import { contentHash } from '../../files/content-hash.ts';
import { conformTimeline, probe, type ConformSegment } from '../../media/index.ts';
import type { ClipProbe } from '../../../shared/domain.ts';
import type { JobContext } from '../job-protocol.ts';
import { clipProbe } from './clip-probe.ts';

export interface ConformJobInput {
  segments: ConformSegment[];
  rate: { num: number; den: number };
  out: string;
}

export interface ConformJobResult {
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string;
  probe: ClipProbe;
}

/** Builds an imported timeline's picture, then everything the store needs to add it as a clip. */
export async function conformJob(input: ConformJobInput, ctx: JobContext): Promise<ConformJobResult> {
  ctx.progress('conform', 0);
  await conformTimeline({
    segments: input.segments, rate: input.rate, out: input.out, signal: ctx.signal,
    onProgress: (p) => ctx.progress('conform', Math.min(0.95, (p.fraction ?? 0) * 0.95)),
  });
  const info = await probe(input.out, { signal: ctx.signal });
  const st = statSync(input.out);
  const hash = await contentHash(input.out, ctx.signal);
  ctx.progress('conform', 1);
  return { path: input.out, size: st.size, mtimeMs: st.mtimeMs, contentHash: hash, probe: clipProbe(info) };
}
