import { probe, thumbnails } from '../../media/index.ts';
import type { ClipProbe } from '../../../shared/domain.ts';
import type { JobContext } from '../job-protocol.ts';
import { clipProbe } from './clip-probe.ts';

export interface FilmstripJobInput {
  path: string;
  intervalSec: number;
  height: number;
}

export interface FilmstripJobResult {
  probe: ClipProbe;
  filmstrip: { intervalSec: number; width: number; height: number; tiles: Array<{ timeSec: number; jpeg: Uint8Array }> };
}

/** Probe plus filmstrip tiles: the quick overview a timeline shows before full analysis ends. */
export async function filmstripJob(input: FilmstripJobInput, ctx: JobContext): Promise<FilmstripJobResult> {
  ctx.progress('probe', 0);
  const info = await probe(input.path, { signal: ctx.signal });
  ctx.progress('probe', 0.05);
  const duration = info.durationSec > 0 ? info.durationSec : 1;
  const strip: FilmstripJobResult['filmstrip'] = { intervalSec: input.intervalSec, width: 0, height: 0, tiles: [] };
  for await (const t of thumbnails(input.path, { intervalSec: input.intervalSec, height: input.height, signal: ctx.signal, info })) {
    strip.width = t.width;
    strip.height = t.height;
    strip.tiles.push({ timeSec: t.ptsSec, jpeg: t.jpeg });
    ctx.progress('filmstrip', 0.05 + 0.95 * Math.min(1, t.ptsSec / duration));
  }
  ctx.progress('filmstrip', 1);
  return { probe: clipProbe(info), filmstrip: strip };
}
