import { describe, expect, it } from 'vitest';
import { splitNotes } from '../../../electron/core/compose/render.ts';
import type { SampledEvent } from '../../../electron/core/compose/synth-group.ts';

const SR = 44100;
const ev = (sec: number, channel: number, kind: SampledEvent['kind'], a: number, b: number): SampledEvent => ({ sec, tick: 0, channel, kind, a, b, stem: null, sample: Math.round(sec * SR) });

describe('splitNotes (two-thread synthesis)', () => {
  // One layered pad channel holding chords (most of the work), a bass, and drums whose hats choke each other.
  const events: SampledEvent[] = [];
  events.push(ev(0, 0, 'program', 91, 0), ev(0, 0, 'controller', 64, 127), ev(0, 1, 'program', 33, 0));
  for (let bar = 0; bar < 8; bar++) {
    const t = bar * 2;
    for (const key of [60, 64, 67, 71]) events.push(ev(t, 0, 'noteOn', key + (bar % 2), 90), ev(t + 1.9, 0, 'noteOff', key + (bar % 2), 0));
    events.push(ev(t, 1, 'noteOn', 36, 100), ev(t + 0.5, 1, 'noteOff', 36, 0));
    for (const [dt, key] of [[0, 42], [0.5, 46], [1, 42]] as const) events.push(ev(t + dt, 9, 'noteOn', key, 100), ev(t + dt + 0.1, 9, 'noteOff', key, 0));
  }
  events.sort((x, y) => x.sample - y.sample);
  const parts = splitNotes(events, 2);
  const notesOf = (p: SampledEvent[], ch: number) => p.filter((e) => e.channel === ch && (e.kind === 'noteOn' || e.kind === 'noteOff'));

  it('splits one heavy channel between the threads by key, and keeps each key, and the drum kit, on one', () => {
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => notesOf(p, 0).length > 0)).toBe(true); // the pad alone outweighs the rest: it is split
    for (const key of new Set(events.filter((e) => e.channel === 0 && e.kind === 'noteOn').map((e) => e.a))) {
      expect(parts.filter((p) => p.some((e) => e.channel === 0 && e.a === key && e.kind !== 'program' && e.kind !== 'controller'))).toHaveLength(1);
    }
    expect(parts.filter((p) => notesOf(p, 9).length > 0)).toHaveLength(1);
    // Every note event lands in exactly one part; every controller and program change in each.
    expect(parts.reduce((n, p) => n + p.filter((e) => e.kind === 'noteOn' || e.kind === 'noteOff').length, 0)).toBe(events.filter((e) => e.kind === 'noteOn' || e.kind === 'noteOff').length);
    for (const p of parts) expect(p.filter((e) => e.kind === 'program' || e.kind === 'controller')).toHaveLength(3);
    // In time order, as the synthesizer plays them.
    for (const p of parts) expect(p.every((e, i) => i === 0 || p[i - 1]!.sample <= e.sample)).toBe(true);
  });

  it('balances the sounding time between the two', () => {
    const sounding = (p: SampledEvent[]) => {
      const on = new Map<string, number>();
      let t = 0;
      for (const e of p) {
        const key = `${e.channel}:${e.a}`;
        if (e.kind === 'noteOn') on.set(key, e.sec);
        else if (e.kind === 'noteOff') t += e.sec - on.get(key)!;
      }
      return t;
    };
    const [a, b] = parts.map(sounding);
    expect(Math.abs(a! - b!) / (a! + b!)).toBeLessThan(0.15);
  });

  it('keeps everything on one synthesizer for one thread', () => {
    expect(splitNotes(events, 1)).toEqual([events]);
  });
});
