import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compose, compositionToMidi } from '../../../electron/core/compose/index.ts';
import { EffectsBus } from '../../../electron/core/compose/effects-bus.ts';
import type { SendChunk } from '../../../electron/core/compose/send-taps.ts';
import { readSmf } from '../../../electron/core/compose/smf.ts';
import { loadSoundFont } from '../../../electron/core/compose/soundfont.ts';
import { CHUNK, fadeGain, QUANTUM, RENDER_SAMPLE_RATE, renderDryToBus, renderGroups } from '../../../electron/core/compose/synth-group.ts';
import { RawStereoFile } from '../../../electron/core/mastering/index.ts';
import { busyPlan } from './plans.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-fxbus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the effects bus', () => {
  it('gives a dry synthesizer plus the bus on its sends the same audio as the synthesizer with its own effects', async () => {
    const seconds = 3;
    const midi = compositionToMidi(compose(busyPlan(seconds), { style: 'ambient', seed: 4 }));
    const events = readSmf(midi).events.map((e) => ({ ...e, sample: Math.round(e.sec * RENDER_SAMPLE_RATE) }));
    const frames = seconds * RENDER_SAMPLE_RATE, fade = RENDER_SAMPLE_RATE / 2;
    const bank = await loadSoundFont();
    const wet = path.join(dir, 'wet.f32');
    await renderGroups([{ name: 'wet', events, file: wet }], bank, frames, fade, () => {});
    const chunks: SendChunk[] = [], dry: Float32Array[] = [];
    await renderDryToBus(events, bank, frames, fade, (d, c) => {
      dry.push(d);
      chunks.push(c);
    }, () => {});
    expect(chunks.length).toBe(Math.ceil(frames / CHUNK));
    expect(chunks.every((c) => c.params.reverb.character === 4 && c.params.chorus.level > 0)).toBe(true); // the GS reset's macros reached the taps

    const bus = new EffectsBus(RENDER_SAMPLE_RATE, QUANTUM, CHUNK);
    const a = new RawStereoFile(wet, { existing: true });
    try {
      let done = 0, e = 0, d = 0, fx = 0;
      for (const [k, c] of chunks.entries()) {
        const at = done;
        const y = bus.process([c], (i) => fadeGain(at + i, frames, fade));
        const n = y.length / 2;
        const x = a.read(done, n), z = dry[k]!;
        expect(z.length).toBe(y.length);
        for (let i = 0; i < 2 * n; i++) {
          e += x[i]! ** 2;
          fx += y[i]! ** 2;
          d += (x[i]! - (z[i]! + y[i]!)) ** 2;
        }
        done += n;
      }
      expect(done).toBe(frames);
      expect(fx / e).toBeGreaterThan(0.01); // the effects are a real part of the sound
      expect(10 * Math.log10(d / e)).toBeLessThan(-110); // float rounding only
    } finally {
      a.close();
    }
  });

  it('refuses chunks that do not line up', () => {
    const bus = new EffectsBus(RENDER_SAMPLE_RATE, QUANTUM, CHUNK);
    const params = { reverb: { level: 64, preLowpass: 0, character: 4, time: 64, delayFeedback: 0, preDelayTime: 0 }, chorus: { level: 64, preLowpass: 0, feedback: 8, delay: 80, rate: 3, depth: 19, sendLevelToReverb: 0, sendLevelToDelay: 0 }, delay: { level: 0, preLowpass: 0, timeCenter: 0, timeRatioLeft: 0, timeRatioRight: 0, levelCenter: 0, levelLeft: 0, levelRight: 0, feedback: 0, sendLevelToReverb: 0 } };
    const chunk = (n: number): SendChunk => ({ reverb: new Float32Array(n), chorus: new Float32Array(n), delay: null, params });
    expect(() => bus.process([chunk(100), chunk(99)])).toThrow(/same frames/);
    expect(() => bus.process([chunk(CHUNK + 1)])).toThrow(/larger/);
  });
});
