// The waveform pyramid the engine built once (finest level first, each coarser one merging a
// whole number of buckets): a redraw picks the level with about one bucket per pixel, so a
// scroll touches one value pair per pixel and the page never reduces or decodes audio itself.

import type { WaveformLevel } from '../../../../electron/shared/domain.ts';

export type PeakLevel = WaveformLevel;

export class PeakCache {
  /** Finest first. */
  readonly levels: readonly PeakLevel[];

  constructor(levels: readonly PeakLevel[]) {
    if (!levels.length) throw new RangeError('A waveform needs at least one level.');
    for (const l of levels) if (l.min.length !== l.max.length) throw new RangeError('Waveform min and max differ in length.');
    this.levels = [...levels].sort((a, b) => b.perSecond - a.perSecond);
  }

  /** The finest level. */
  get base(): PeakLevel {
    return this.levels[0]!;
  }

  /** The coarsest level still at least one bucket per pixel (the finest when zoomed in past it). */
  levelFor(pxPerSec: number): PeakLevel {
    let best = this.levels[0]!;
    for (const l of this.levels) if (l.perSecond >= pxPerSec) best = l;
    return best;
  }
}
