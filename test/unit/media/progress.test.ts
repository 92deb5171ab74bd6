import { describe, expect, it } from 'vitest';
import { ProgressParser } from '../../../electron/core/media/progress.ts';

const block = (us: number, end = false) =>
  `frame=12\nfps=24.5\nbitrate=N/A\ntotal_size=N/A\nout_time_us=${us}\nout_time_ms=${us}\nout_time=00:00:01.000000\ndup_frames=0\ndrop_frames=0\nspeed=2.5x\nprogress=${end ? 'end' : 'continue'}\n`;

describe('ProgressParser', () => {
  it('parses complete blocks with fraction of the known duration', () => {
    const p = new ProgressParser(4);
    const out = p.push(block(1_000_000) + block(2_000_000));
    expect(out).toEqual([
      { outTimeSec: 1, frame: 12, fps: 24.5, speed: 2.5, fraction: 0.25, done: false },
      { outTimeSec: 2, frame: 12, fps: 24.5, speed: 2.5, fraction: 0.5, done: false },
    ]);
  });

  it('handles blocks split at any byte', () => {
    const text = block(500_000) + block(3_000_000, true);
    for (let cut = 1; cut < text.length; cut += 7) {
      const p = new ProgressParser(3);
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out.map((o) => o.outTimeSec)).toEqual([0.5, 3]);
      expect(out[1]!.done).toBe(true);
      expect(out[1]!.fraction).toBe(1);
    }
  });

  it('clamps the fraction and survives N/A values and CRLF', () => {
    const p = new ProgressParser(1);
    const out = p.push('out_time_us=N/A\r\nout_time=00:00:05.500000\r\nfps=N/A\r\nspeed=N/A\r\nprogress=continue\r\n');
    expect(out).toEqual([{ outTimeSec: 5.5, fraction: 1, done: false }]);
  });

  it('reports no fraction without a duration, and 0 for negative times', () => {
    const p = new ProgressParser();
    expect(p.push('out_time=-00:00:00.040000\nprogress=continue\n')).toEqual([{ outTimeSec: 0, done: false }]);
  });

  it('ignores lines that are not key=value', () => {
    const p = new ProgressParser(10);
    expect(p.push('garbage\n=x\nprogress=continue\n')).toEqual([{ outTimeSec: 0, fraction: 0, done: false }]);
  });
});
