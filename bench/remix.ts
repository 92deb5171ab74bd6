/**
 * The remix generator's speed and aim: remix time ÷ clip duration (goal ≤ 0.1) for PySceneDetect's
 * testvideo.mp4 and synthetic cut plans, with each real recording in ../shared/data/music as the
 * track; the share of cuts on an output downbeat, aimed and unaimed; the seams; peak RSS. The
 * remix time covers decoding and analysing the track, arranging (repairs included), rendering
 * and mastering; the unaimed baseline (report only) and the video analysis are timed apart.
 * Each case runs cold (an empty track-analysis cache: decode, hash, analyse, store) and warm (the
 * analysis from the cache), best of --repeat runs each. CPU time is printed too, this process's
 * (baseline included) and its ffmpeg children's: wall time on a loaded machine says little.
 * --whole times what a user waits for instead: the whole `v2m generate plan.json --generator remix
 * --music <track>` process (Node start-up, the plan, the remix, the WAV), cold (an empty
 * V2M_CACHE_DIR) and warm (the same one again), best of --repeat.
 * Run: node bin/run-ts.js bench/remix.ts [--durations 30,60] [--repeat 3] [--whole]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Prng } from '../electron/core/compose/index.ts';
import { generateRemix } from '../electron/core/remix/index.ts';
import { normalizePlan, planFromAnalysis, planToJson, type RhythmPlan } from '../electron/core/rhythm/index.ts';
import { analyzeVideo } from '../electron/core/video/index.ts';
import { peakRssMB } from './bench-clips.ts';
import { best as bestRun, timed, type Run } from './process-timing.ts';

const root = path.resolve(import.meta.dirname, '..');
const data = path.resolve(root, '../shared/data');
const tracks = [
  path.join(data, 'music/147793__setuniman__sweet-waltz-0i-22mi.ogg'),
  path.join(data, 'music/442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg'),
];
const { values } = parseArgs({ options: { durations: { type: 'string', default: '30,60' }, repeat: { type: 'string', default: '3' }, whole: { type: 'boolean' } } });
const repeat = Math.max(1, Number(values.repeat));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-bench-remix-'));

/** A cut every 2–6 s at irregular times, a visual beat between. */
function syntheticPlan(seconds: number, seed: number): RhythmPlan {
  const rng = new Prng(seed);
  const cuts: number[] = [];
  for (let t = 1.5 + rng.next() * 2; t < seconds - 1; t += 2 + rng.next() * 4) cuts.push(Math.round(t * 1000) / 1000);
  const accents = [...cuts.map((t) => ({ timeSec: t, strength: 0.9, kind: 'cut' })), ...cuts.slice(1).map((t, i) => ({ timeSec: (t + cuts[i]!) / 2, strength: 0.5, kind: 'visual-beat' }))];
  return normalizePlan({ durationSec: seconds, fps: 30, odfLR: Array(Math.ceil(seconds)).fill(0.5), accents, cuts, mood: { valence: 0, arousal: 0.2 } }).plan;
}

/** CPU seconds of the ffmpeg children this process has waited for (Linux; NaN elsewhere). */
function childCpuSec(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime) in clock ticks of 1/100 s.
    return (Number(rest[13]) + Number(rest[14])) / 100;
  } catch {
    return NaN;
  }
}

let cacheSerial = 0;
/** One remix, timed: wall (the generator's own total), this process's CPU and its children's. */
async function timedRemix(plan: RhythmPlan, track: string, cache: string) {
  const c0 = process.cpuUsage(), k0 = childCpuSec();
  const r = await generateRemix(plan, { music: track, out: path.join(tmp, 'remix.wav'), trackCache: cache });
  const cu = process.cpuUsage(c0);
  return { r, wall: r.summary.timings.totalSec, cpu: (cu.user + cu.system) / 1e6, childCpu: childCpuSec() - k0 };
}

const pct = (x: number) => `${(x * 100).toFixed(0).padStart(3)} %`;

/** The whole CLI process per track and plan: cold (fresh cache folder) and warm (the same again), best of `repeat` each. */
function wholeProcess(plans: [string, RhythmPlan][]): void {
  const cli = path.resolve(root, 'bin/v2m.js');
  execFileSync(process.execPath, [cli, '--version']); // builds out/ if stale, so no run pays for it
  console.log(`whole process: v2m generate plan.json --generator remix --music <track>, best of ${repeat}`);
  for (const track of tracks) {
    for (const [label, plan] of plans) {
      const planFile = path.join(tmp, 'plan.json');
      writeFileSync(planFile, planToJson(plan));
      const args = [cli, 'generate', planFile, '--generator', 'remix', '--music', track, '--out', path.join(tmp, 'whole.wav')];
      const cold: Run[] = [], warm: Run[] = [];
      for (let i = 0; i < repeat; i++) {
        const env = { ...process.env, V2M_CACHE_DIR: path.join(tmp, `whole-cache-${cacheSerial++}`) };
        cold.push(timed(process.execPath, args, env));
        warm.push(timed(process.execPath, args, env));
      }
      const D = plan.durationSec;
      const show = (r: Run) => `${r.wallSec.toFixed(2).padStart(5)} s = ${(r.wallSec / D).toFixed(3)} ×${r.cpuSec === null ? '' : ` (CPU ${r.cpuSec.toFixed(2)} s)`}`;
      console.log(`${path.basename(track).slice(0, 30).padEnd(30)} ${label.padEnd(16)} cold ${show(bestRun(cold))}  warm ${show(bestRun(warm))}`);
    }
  }
}
try {
  const v0 = performance.now();
  const testvideo = path.join(data, 'pyscenedetect/tests/resources/testvideo.mp4');
  const vPlan = planFromAnalysis(await analyzeVideo(testvideo, { filmstrip: false, histograms: false, waveform: false }));
  console.log(`video analysis of testvideo.mp4 (${vPlan.durationSec.toFixed(2)} s): ${((performance.now() - v0) / 1000).toFixed(2)} s (timed apart)`);
  const plans: [string, RhythmPlan][] = [['testvideo.mp4', vPlan], ...values.durations!.split(',').map((d, i) => [`synthetic ${d} s`, syntheticPlan(Number(d), 11 + i)] as [string, RhythmPlan])];
  if (values.whole) wholeProcess(plans);
  else await inProcess(plans);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** The generator in this process, its stages timed: cold and warm, best of `repeat` each; the landing rates. */
async function inProcess(plans: [string, RhythmPlan][]): Promise<void> {
  let sumAimed = 0, sumUnaimed = 0, sumCuts = 0;
  console.log(`best of ${repeat}; wall = the remix itself (baseline excluded), CPU = this process (baseline included) + ffmpeg children`);
  const x = (v: number, d: number) => `${v.toFixed(2).padStart(5)} s = ${(v / d).toFixed(3)} ×`;
  for (const track of tracks) {
    for (const [label, plan] of plans) {
      const D = plan.durationSec;
      type Timed = Awaited<ReturnType<typeof timedRemix>>;
      const runs: { cold: Timed; warm: Timed }[] = [];
      const best = { coldWall: Infinity, coldCpu: Infinity, coldChild: Infinity, warmWall: Infinity, warmCpu: Infinity, warmChild: Infinity };
      for (let i = 0; i < repeat; i++) {
        // Cold: a cache folder of its own, still empty. Warm: the same folder again.
        const cache = path.join(tmp, `cache-${cacheSerial++}`);
        const c = await timedRemix(plan, track, cache);
        const w = await timedRemix(plan, track, cache);
        if (c.r.summary.analysisCached || !w.r.summary.analysisCached) throw new Error('the cold run found the analysis cached, or the warm one did not');
        best.coldWall = Math.min(best.coldWall, c.wall); best.coldCpu = Math.min(best.coldCpu, c.cpu); best.coldChild = Math.min(best.coldChild, c.childCpu);
        best.warmWall = Math.min(best.warmWall, w.wall); best.warmCpu = Math.min(best.warmCpu, w.cpu); best.warmChild = Math.min(best.warmChild, w.childCpu);
        runs.push({ cold: c, warm: w });
      }
      const { cold, warm } = runs[runs.length - 1]!;
      const s = cold.r.summary, t = s.timings, tw = warm.r.summary.timings;
      sumAimed += s.cuts.aimed.onDownbeat * s.cuts.aimed.count;
      sumUnaimed += s.cuts.unaimed.onDownbeat * s.cuts.unaimed.count;
      sumCuts += s.cuts.aimed.count;
      console.log(`${path.basename(track).slice(0, 30).padEnd(30)} ${label.padEnd(16)} ` +
        `cold: wall ${x(best.coldWall, D)}, CPU ${x(best.coldCpu, D)} + ffmpeg ${x(best.coldChild, D)}  ` +
        `warm: wall ${x(best.warmWall, D)}, CPU ${x(best.warmCpu, D)} + ffmpeg ${x(best.warmChild, D)}`);
      console.log(`${''.padEnd(47)} last cold (track ${t.analysisSec.toFixed(2)}, arranging ${t.arrangingSec.toFixed(2)}, rendering ${t.renderingSec.toFixed(2)}, mastering ${t.masteringSec.toFixed(2)}; baseline ${t.unaimedBaselineSec.toFixed(2)}), ` +
        `warm track ${tw.analysisSec.toFixed(2)}  cuts ${String(s.cuts.aimed.count).padStart(2)} on downbeat ${pct(s.cuts.aimed.onDownbeat)} aimed vs ${pct(s.cuts.unaimed.onDownbeat)} unaimed  seams ${s.seams.length}  ending ${s.ending}`);
      if (JSON.stringify(warm.r.arrangement) !== JSON.stringify(cold.r.arrangement)) throw new Error('the warm remix differs from the cold one');
    }
  }
  console.log(`all ${sumCuts} cuts: on a downbeat ${pct(sumAimed / sumCuts)} aimed vs ${pct(sumUnaimed / sumCuts)} unaimed; peak RSS ${peakRssMB().toFixed(0)} MB`);
}
