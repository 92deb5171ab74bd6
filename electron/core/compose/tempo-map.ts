/** Ticks per quarter note in the SMF the composer writes: fine enough for ±0.5 ms at 180 BPM. */
export const PPQ = 960;

export interface TempoChange {
  tick: number;
  /** Microseconds per quarter note, an integer (as stored in a MIDI setTempo event). */
  usPerQuarter: number;
}

/**
 * Tick ↔ second conversion for a piecewise-constant tempo, computed exactly as a MIDI player
 * does from integer setTempo values, so times the composer plans are the times the SMF plays.
 */
export class TempoMap {
  readonly changes: readonly TempoChange[];
  private readonly startSec: Float64Array;

  constructor(changes: readonly TempoChange[]) {
    if (!changes.length || changes[0]!.tick !== 0) throw new RangeError('A tempo map must start with a tempo at tick 0.');
    for (let i = 1; i < changes.length; i++) {
      if (!(changes[i]!.tick > changes[i - 1]!.tick)) throw new RangeError('Tempo changes must be at increasing ticks.');
    }
    for (const c of changes) {
      if (!Number.isInteger(c.usPerQuarter) || c.usPerQuarter <= 0 || c.usPerQuarter > 0xffffff) {
        throw new RangeError(`Invalid MIDI tempo ${c.usPerQuarter} µs per quarter note.`);
      }
    }
    this.changes = changes;
    this.startSec = new Float64Array(changes.length);
    for (let i = 1; i < changes.length; i++) {
      const p = changes[i - 1]!;
      this.startSec[i] = this.startSec[i - 1]! + ((changes[i]!.tick - p.tick) * p.usPerQuarter) / (PPQ * 1e6);
    }
  }

  private indexAtTick(tick: number): number {
    let lo = 0, hi = this.changes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.changes[mid]!.tick <= tick) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private indexAtSec(sec: number): number {
    let lo = 0, hi = this.changes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.startSec[mid]! <= sec) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  secOfTick(tick: number): number {
    const i = this.indexAtTick(tick);
    const c = this.changes[i]!;
    return this.startSec[i]! + ((tick - c.tick) * c.usPerQuarter) / (PPQ * 1e6);
  }

  /** Fractional tick of a time; round it to place an event. */
  tickOfSec(sec: number): number {
    const i = this.indexAtSec(sec);
    const c = this.changes[i]!;
    return c.tick + ((sec - this.startSec[i]!) * PPQ * 1e6) / c.usPerQuarter;
  }

  bpmAtTick(tick: number): number {
    return 60e6 / this.changes[this.indexAtTick(tick)]!.usPerQuarter;
  }
}
