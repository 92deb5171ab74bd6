import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compose, compositionToMidi, generateMusic, renderMidi, STEMS, synthesizeMidi } from '../../electron/core/compose/index.ts';
import { musicSyncReport } from '../../electron/core/eval/index.ts';
import { masterStereo, readWavInfo, wavMonoChunks, type MeasuredSource } from '../../electron/core/mastering/index.ts';
import { measureLoudness } from '../../electron/core/media/index.ts';
import { typicalPlan, busyPlan } from '../unit/compose/plans.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('generateMusic: SMF → SoundFont → mastered WAV and stems', () => {
  it('renders −14 LUFS with true peak ≤ −1 dBTP (ours and ffmpeg\'s ebur128 agree), stems that sum to the mix, and hits the accents', async () => {
    const plan = typicalPlan(10);
    const out = path.join(dir, 'music.wav');
    const g = await generateMusic(plan, { out, style: 'electronic', seed: 2, stems: true, midiOut: path.join(dir, 'music.mid') });
    const r = g.render;
    expect(readWavInfo(out)).toMatchObject({ sampleRate: 44100, channels: 2, bitsPerSample: 24, frames: Math.round(10 * 44100) });
    expect(Math.abs(r.integratedLufs + 14)).toBeLessThanOrEqual(0.1);
    expect(r.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(r.longestSilenceSec).toBeLessThan(1);
    const ff = await measureLoudness(out);
    console.info(`[compose] ours ${r.integratedLufs.toFixed(2)} LUFS / ${r.truePeakDbtp.toFixed(2)} dBTP; ffmpeg ebur128 ${ff.integratedLufs} LUFS / ${ff.truePeakDbtp} dBTP; limiter ${r.limiterReductionDb.toFixed(1)} dB`);
    expect(Math.abs(ff.integratedLufs - r.integratedLufs)).toBeLessThanOrEqual(0.2);
    expect(ff.truePeakDbtp!).toBeLessThanOrEqual(-1);
    expect(Math.abs(ff.truePeakDbtp! - r.truePeakDbtp)).toBeLessThanOrEqual(0.3);

    // Stems add up to the mix (24-bit rounding of five files aside).
    const iters = [out, ...STEMS.map((s) => r.stems![s])].map((f) => wavMonoChunks(f, 44100));
    let maxDiff = 0;
    for (;;) {
      const [mix, ...stems] = iters.map((it) => it.next());
      if (mix!.done) break;
      for (let i = 0; i < mix!.value.length; i++) {
        let sum = 0;
        for (const s of stems) sum += s!.value![i]!;
        maxDiff = Math.max(maxDiff, Math.abs(sum - mix!.value[i]!));
      }
    }
    expect(maxDiff).toBeLessThan(5 / 8388608);

    const sync = await musicSyncReport(out, plan.accents);
    console.info(`[compose] sync: ${sync.strong.hits}/${sync.strong.accents.length} strong accents within ±50 ms, mean |offset| ${((sync.strong.offsets?.meanAbs ?? 0) * 1000).toFixed(1)} ms`);
    expect(sync.strong.hitRate).toBeGreaterThanOrEqual(0.95);
    expect(existsSync(path.join(dir, 'music.mid'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('is byte-identical for the same plan and seed; the stems render agrees with the one-synth render', async () => {
    const plan = busyPlan(4);
    const midi = compositionToMidi(compose(plan, { style: 'lofi', seed: 8 }));
    const a = await renderMidi(midi, { out: path.join(dir, 'a.wav'), durationSec: 4, fadeOutSec: 0.4 });
    const b = await renderMidi(midi, { out: path.join(dir, 'b.wav'), durationSec: 4, fadeOutSec: 0.4 });
    expect(sha(a.path)).toBe(sha(b.path));
    const c = await renderMidi(midi, { out: path.join(dir, 'c.wav'), durationSec: 4, fadeOutSec: 0.4, stems: true });
    const x = [...wavMonoChunks(a.path, 1 << 20)][0]!, y = [...wavMonoChunks(c.path, 1 << 20)][0]!;
    let e = 0, d = 0;
    for (let i = 0; i < x.length; i++) {
      e += x[i]! ** 2;
      d += (x[i]! - y[i]!) ** 2;
    }
    expect(10 * Math.log10(d / e)).toBeLessThan(-40);
    const other = await renderMidi(compositionToMidi(compose(plan, { style: 'lofi', seed: 9 })), { out: path.join(dir, 'd.wav'), durationSec: 4 });
    expect(sha(other.path)).not.toBe(sha(a.path));
  });

  it('renders on two threads (notes dealt to two workers, their sends to one effects bus) the same music as on one, and repeats it byte for byte', async () => {
    const plan = busyPlan(6);
    const midi = compositionToMidi(compose(plan, { style: 'ambient', seed: 3 }));
    const withThreads = async <T>(threads: string, f: () => Promise<T>): Promise<T> => {
      const before = process.env.V2M_SYNTH_THREADS;
      process.env.V2M_SYNTH_THREADS = threads;
      try {
        return await f();
      } finally {
        if (before === undefined) delete process.env.V2M_SYNTH_THREADS;
        else process.env.V2M_SYNTH_THREADS = before;
      }
    };
    const render = (threads: string, name: string) => withThreads(threads, () => renderMidi(midi, { out: path.join(dir, name), durationSec: 6, fadeOutSec: 0.5 }));
    const one = await render('1', 't1.wav'), two = await render('2', 't2.wav'), again = await render('2', 't3.wav');
    expect(sha(two.path)).toBe(sha(again.path));
    expect(Math.abs(two.integratedLufs - one.integratedLufs)).toBeLessThan(0.05);

    // Before mastering (whose gain search may settle a hair apart).
    const synth = (threads: string) => withThreads(threads, () => synthesizeMidi(midi, { durationSec: 6, fadeOutSec: 0.5 }));
    const a = await synth('1'), b = await synth('2');
    try {
      expect(b.mix.frames).toBe(a.mix.frames);
      const x = a.mix.read(0, a.mix.frames), y = b.mix.read(0, b.mix.frames);
      let e = 0, d = 0;
      for (let i = 0; i < x.length; i++) {
        e += x[i]! ** 2;
        d += (x[i]! - y[i]!) ** 2;
      }
      console.info(`[compose] two threads vs one, unmastered: difference ${(10 * Math.log10(d / e)).toFixed(1)} dB`);
      expect(e).toBeGreaterThan(0);
      // ≈ −61 dB, as with one reverb per thread before the bus: the split itself, not the effects (effects-bus.test.ts).
      expect(10 * Math.log10(d / e)).toBeLessThan(-55);

      // The bus measured the mastering's raw pass as it wrote the mix: the same master as measuring it afresh.
      expect((b.mix as MeasuredSource).measured?.frames).toBe(b.mix.frames);
      const opts = (out: string) => ({ out: path.join(dir, out), sampleRate: b.sampleRate, fadeFrames: b.fadeFrames });
      const withRaw = await masterStereo(b.mix, opts('m1.wav'));
      const afresh = await masterStereo({ frames: b.mix.frames, read: (s, n) => b.mix.read(s, n) }, opts('m2.wav'));
      expect(sha(withRaw.path)).toBe(sha(afresh.path));
    } finally {
      a.dispose();
      b.dispose();
    }
  });


  it('cancels cleanly and refuses a folder it cannot write, leaving no file behind', async () => {
    const plan = typicalPlan(20);
    const ac = new AbortController();
    const out = path.join(dir, 'cancelled.wav');
    const p = generateMusic(plan, { out, signal: ac.signal, onProgress: (q) => { if (q.stage === 'synthesis' && q.fraction > 0.2) ac.abort(); } });
    await expect(p).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([]);
    await expect(generateMusic(plan, { out: '/nonexistent-v2m-dir/music.wav' })).rejects.toThrow(/folder \/nonexistent-v2m-dir does not exist/);
    // On two threads (20 s) the synthesizers are workers: their failure is the render's, with its words.
    const noBank = path.join(dir, 'no-bank.wav');
    await expect(renderMidi(compositionToMidi(compose(plan, { seed: 1 })), { out: noBank, durationSec: 20, soundFont: path.join(dir, 'missing.sf2') })).rejects.toThrow(/Cannot read the SoundFont .*missing\.sf2/);
    expect(existsSync(noBank)).toBe(false);
  });
});
