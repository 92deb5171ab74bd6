/**
 * The built-in composer's speed: (plan + compose + render) time ÷ clip duration for a 30 s and a
 * 5 min clip (goal ≤ 0.05, i.e. 20× faster than real time), and peak RSS. The video analysis
 * that feeds the plan is timed apart (bench/analyze measures it). Also prints the sync hit rate
 * and loudness of each render, and with --styles every style on PySceneDetect's testvideo.mp4.
 * --synthetic 1200 renders a synthetic plan of that length (no video) to show memory stays flat.
 * --whole 155 times what a user waits for: the whole `v2m generate plan.json --style <s>` process,
 * cold, for every style on a plan of that length (best of --repeat), ÷ the clip's duration (goal ≤ 0.05).
 * Run: node bin/run-ts.js bench/compose.ts [--durations 30,300] [--stems] [--styles] [--synthetic 1200] [--whole 155 --repeat 3]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compose, compositionToMidi, renderMidi, STYLE_NAMES } from '../electron/core/compose/index.ts';
import { musicSyncReport } from '../electron/core/eval/index.ts';
import { measureLoudness } from '../electron/core/media/index.ts';
import { normalizePlan, planFromAnalysis, planToJson, STRONG_ACCENT, type RhythmPlan } from '../electron/core/rhythm/index.ts';
import { Prng } from '../electron/core/compose/index.ts';
import { analyzeVideo } from '../electron/core/video/index.ts';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { runMedia } from '../electron/core/media/index.ts';
import { benchDir, peakRssMB } from './bench-clips.ts';
import { best, timed } from './process-timing.ts';

/** A quick-to-make clip: a moving test pattern whose hue jumps every 4 s (hard cuts), 320×180. */
async function cutsPatternClip(seconds: number): Promise<string> {
  mkdirSync(benchDir, { recursive: true });
  const out = path.join(benchDir, `hue-cuts-320x180-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmpOut = `${out}.tmp.mp4`;
  await runMedia('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=s=320x180:r=30:d=${seconds}`,
    '-vf', "hue=H=2*PI*floor(t/4)/5", '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', tmpOut,
  ]);
  renameSync(tmpOut, out);
  return out;
}

const { values } = parseArgs({ options: { durations: { type: 'string', default: '30,300' }, stems: { type: 'boolean' }, styles: { type: 'boolean' }, synthetic: { type: 'string' }, whole: { type: 'string' }, repeat: { type: 'string', default: '3' } } });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-bench-compose-'));

/** A plan like a cut video's: a cut every 3–9 s, two or three visual beats between cuts. */
function syntheticPlan(seconds: number): RhythmPlan {
  const rng = new Prng(5);
  const accents: { timeSec: number; strength: number; kind: string }[] = [];
  for (let t = 2 + rng.next() * 3; t < seconds - 1; t += 3 + rng.next() * 6) {
    accents.push({ timeSec: t, strength: 0.7 + 0.3 * rng.next(), kind: 'cut' });
    for (let b = t + 0.6 + rng.next(); b < Math.min(seconds - 1, t + 3); b += 0.6 + rng.next()) accents.push({ timeSec: b, strength: 0.5 + 0.4 * rng.next(), kind: 'visual-beat' });
  }
  const odfLR = Array.from({ length: Math.ceil(seconds) }, (_, i) => 0.4 + 0.3 * Math.sin(i / 20));
  return normalizePlan({ durationSec: seconds, fps: 30, odfLR, accents, cuts: accents.filter((a) => a.kind === 'cut').map((a) => a.timeSec), mood: { valence: 0.2, arousal: 0.1 } }).plan;
}

async function run(video: string | RhythmPlan, label: string, style?: string) {
  const t0 = performance.now();
  const analysis = typeof video === 'string' ? await analyzeVideo(video, { filmstrip: false, histograms: false, waveform: false }) : null;
  const t1 = performance.now();
  const plan = analysis ? planFromAnalysis(analysis) : (video as RhythmPlan);
  const t2 = performance.now();
  const c = compose(plan, { style, seed: 1 });
  const midi = compositionToMidi(c);
  const t3 = performance.now();
  const out = path.join(tmp, `${label}.wav`);
  let synthEnd = 0;
  const r = await renderMidi(midi, {
    out, durationSec: plan.durationSec, fadeOutSec: c.fadeOutSec, stems: values.stems,
    onProgress: (p) => { if (p.stage === 'mastering' && !synthEnd) synthEnd = performance.now(); },
  });
  const t4 = performance.now();
  const sync = await musicSyncReport(out, plan.accents);
  const ff = await measureLoudness(out);
  const d = plan.durationSec;
  const work = (t4 - t1) / 1000;
  console.log(
    `${label.padEnd(26)} ${d.toFixed(1).padStart(6)} s  ${c.style.name.padEnd(10)} ratio ${(work / d).toFixed(4)}  ` +
    `(plan ${((t2 - t1) / 1000).toFixed(3)} s, compose+SMF ${((t3 - t2) / 1000).toFixed(3)} s, synthesis ${((synthEnd - t3) / 1000).toFixed(2)} s, mastering ${((t4 - synthEnd) / 1000).toFixed(2)} s; analysis apart ${((t1 - t0) / 1000).toFixed(1)} s)  ` +
    `hits ${sync.strong.hits}/${plan.accents.filter((a) => a.strength >= STRONG_ACCENT).length}  ${r.integratedLufs.toFixed(2)} LUFS (ffmpeg ${ff.integratedLufs})  TP ${r.truePeakDbtp.toFixed(2)} dBTP (ffmpeg ${ff.truePeakDbtp})  limiter ${r.limiterReductionDb.toFixed(1)} dB  silence ${r.longestSilenceSec.toFixed(1)} s  peak RSS ${peakRssMB().toFixed(0)} MB`,
  );
}

/** Whole-process `v2m generate` per style on a synthetic plan: wall time of the CLI, cold, best of N. */
async function wholeProcess(seconds: number, repeat: number): Promise<void> {
  const planFile = path.join(tmp, `plan-${seconds}.json`);
  writeFileSync(planFile, planToJson(syntheticPlan(seconds)));
  const cli = path.resolve(import.meta.dirname, '../bin/v2m.js');
  execFileSync(process.execPath, [cli, '--version']); // builds out/ if stale, so no run pays for it
  for (const style of STYLE_NAMES) {
    const runs = Array.from({ length: repeat }, () => timed(process.execPath, [cli, 'generate', planFile, '--style', style, '--out', path.join(tmp, `${style}.wav`)]));
    const b = best(runs);
    const cpu = b.cpuSec === null ? '' : `  cpu ${b.cpuSec.toFixed(2)} s (${(b.cpuSec / seconds).toFixed(4)} of the clip)`;
    console.log(`whole process  v2m generate ${seconds} s  ${style.padEnd(10)} best ${b.wallSec.toFixed(2)} s of ${repeat}  ratio ${(b.wallSec / seconds).toFixed(4)}  ${b.wallSec / seconds <= 0.05 ? 'ok' : 'over the 0.05 goal'}${cpu}`);
  }
}

try {
  console.log('(2 shared cores here, other jobs running: figures are pessimistic)');
  if (values.whole) {
    for (const seconds of values.whole.split(',').map(Number)) await wholeProcess(seconds, Math.max(1, Number(values.repeat)));
    values.durations = '';
  }
  for (const seconds of values.durations ? values.durations.split(',').filter(Boolean).map(Number) : []) {
    const clip = await cutsPatternClip(seconds);
    await run(clip, `cut pattern ${seconds} s${values.stems ? ' +stems' : ''}`);
  }
  if (values.synthetic) for (const seconds of values.synthetic.split(',').map(Number)) await run(syntheticPlan(seconds), `synthetic plan ${seconds} s`);
  if (values.styles) {
    const testVideo = path.resolve(import.meta.dirname, '../../shared/data/pyscenedetect/tests/resources/testvideo.mp4');
    for (const s of STYLE_NAMES) await run(testVideo, `testvideo ${s}`, s);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
