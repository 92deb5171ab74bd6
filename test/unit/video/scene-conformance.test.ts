import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysisFrames, resolveBinary } from '../../../electron/core/media/index.ts';
import {
  AdaptiveDetector,
  ContentDetector,
  detectSceneCuts,
  PysceneDownscaler,
  type FrameComponents,
  type SceneCut,
} from '../../../electron/core/video/scene/index.ts';
import { pysceneResources, sharedData } from '../../helpers/paths.ts';

const fixtures = path.join(sharedData, 'reference-fixtures');
const goldenDir = path.join(pysceneResources, 'goldens');
const VIDEOS = ['testvideo.mp4', 'fades.mp4', 'counter.mp4'] as const;

/** Golden variants: `default` and the threshold overrides their generator used. */
const VARIANTS = {
  ContentDetector: { default: {}, t30: { threshold: 30 } },
  AdaptiveDetector: { default: {}, t5: { adaptiveThreshold: 5 } },
} as const;
type DetectorName = keyof typeof VARIANTS;

interface Run {
  cuts: Record<string, number[]>;
  contentCuts: SceneCut[];
  frames: number;
  size: [number, number];
  contentValues: Float64Array;
  components: FrameComponents;
  adaptiveRatios: Float64Array;
}

/** One decode per video feeds every detector variant, as the one-pass analysis will. */
async function runAll(video: string): Promise<Run> {
  const dets: Array<[string, ContentDetector | AdaptiveDetector]> = [];
  for (const [name, variants] of Object.entries(VARIANTS) as Array<[DetectorName, Record<string, object>]>) {
    for (const [variant, opts] of Object.entries(variants)) {
      const record = variant === 'default';
      dets.push([`${name}.${variant}`, name === 'ContentDetector'
        ? new ContentDetector({ ...opts, recordComponents: record })
        : new AdaptiveDetector({ ...opts })]);
    }
  }
  const down = new PysceneDownscaler();
  let size: [number, number] = [0, 0];
  for await (const f of analysisFrames(path.join(pysceneResources, video), { downscale: false, pixFmt: 'bgr24' })) {
    const s = down.downscale(f.data, f.width, f.height, 3);
    size = [s.width, s.height];
    for (const [, d] of dets) d.process(f.index, f.ptsSec, s.data, s.width, s.height);
  }
  const cuts: Record<string, number[]> = {};
  const full: Record<string, SceneCut[]> = {};
  for (const [key, d] of dets) {
    full[key] = d.finish();
    cuts[key] = full[key].map((c) => c.frame);
  }
  const content = dets.find(([k]) => k === 'ContentDetector.default')![1];
  const adaptive = dets.find(([k]) => k === 'AdaptiveDetector.default')![1] as AdaptiveDetector;
  return {
    cuts,
    contentCuts: full['ContentDetector.default']!,
    frames: content.frameCount,
    size,
    contentValues: content.contentValues(),
    components: content.components()!,
    adaptiveRatios: adaptive.adaptiveRatios(),
  };
}

function diffStats(ours: ArrayLike<number>, ref: ArrayLike<number>): { mean: number; max: number; exact: number } {
  let sum = 0;
  let max = 0;
  let exact = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i]! - ref[i]!);
    sum += d;
    max = Math.max(max, d);
    if (d === 0) exact++;
  }
  return { mean: sum / ref.length, max, exact };
}

/** PySceneDetect StatsManager CSV: 1-based frame numbers, no row for the first frame. */
function readStats(file: string): { frame: number[]; col: (name: string) => Array<number | null> } {
  const lines = readFileSync(path.join(fixtures, file), 'utf8').trim().split(/\r?\n/);
  const head = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  return {
    frame: rows.map((r) => Number(r[0]) - 1),
    col: (name) => {
      const i = head.indexOf(name);
      if (i < 0) throw new Error(`${file} has no column ${name}`);
      return rows.map((r) => (r[i] === 'None' ? null : Number(r[i])));
    },
  };
}

// Per-frame scores depend on the decoder's YUV→BGR pixels. The bundled ffmpeg reproduces
// OpenCV's VideoCapture output exactly; another build may differ by a pixel level here and there.
const bundledFfmpeg = resolveBinary('ffmpeg').source === 'bundled';

describe('scene cuts conform to PySceneDetect 0.6.6', () => {
  const runs = new Map<string, Run>();
  beforeAll(async () => {
    for (const v of VIDEOS) runs.set(v, await runAll(v));
  }, 180_000);

  it('processes every frame at the downscaled size', () => {
    expect(runs.get('testvideo.mp4')).toMatchObject({ frames: 720, size: [256, 144] });
    expect(runs.get('fades.mp4')).toMatchObject({ size: [256, 171] });
    expect(runs.get('counter.mp4')).toMatchObject({ frames: 30, size: [256, 144] });
  });

  it('equals every ContentDetector / AdaptiveDetector golden cut list', () => {
    const goldens = readdirSync(goldenDir).filter((f) => /^(.+)\.(ContentDetector|AdaptiveDetector)\.(\w+)\.json$/.test(f));
    expect(goldens.length).toBe(12);
    for (const g of goldens) {
      const [, video, det, variant] = /^(.+)\.(ContentDetector|AdaptiveDetector)\.(\w+)\.json$/.exec(g)!;
      const want = (JSON.parse(readFileSync(path.join(goldenDir, g), 'utf8')) as { cuts: number[] }).cuts;
      const run = runs.get(video!);
      expect(run, `no run for ${video}`).toBeDefined();
      expect(run!.cuts[`${det}.${variant}`], g).toEqual(want);
    }
    // The headline cases, spelled out.
    expect(runs.get('testvideo.mp4')!.cuts['ContentDetector.default']).toEqual([30, 180, 394]);
    expect(runs.get('testvideo.mp4')!.cuts['AdaptiveDetector.default']).toEqual([30, 180, 394, 691]);
    expect(runs.get('counter.mp4')!.cuts['AdaptiveDetector.default']).toEqual([20]);
    expect(runs.get('fades.mp4')!.cuts['ContentDetector.default']).toEqual([]);
  });

  it('matches the per-frame content_val of testvideo.mp4 (reference JSON)', () => {
    const ref = (JSON.parse(readFileSync(path.join(fixtures, 'testvideo_content_val.json'), 'utf8')) as { content_val: number[] }).content_val;
    const ours = runs.get('testvideo.mp4')!.contentValues;
    expect(ours.length).toBe(ref.length);
    const d = diffStats(ours, ref);
    console.log(`[scene] testvideo.mp4 content_val vs PySceneDetect 0.6.6: mean |Δ| = ${d.mean}, max |Δ| = ${d.max}, ${d.exact}/${ref.length} frames bit-identical`);
    // Cuts score 55–84; a wrong HSV, resize or weighting moves most frames far more than this.
    expect(d.mean).toBeLessThan(0.01);
    expect(d.max).toBeLessThan(0.1);
    if (bundledFfmpeg) expect(d.max).toBe(0);
  });

  it('matches the stats files: every component, content_val and adaptive ratio, on all three videos', () => {
    for (const v of VIDEOS) {
      const run = runs.get(v)!;
      const content = readStats(`${v}.content.stats.csv`);
      expect(content.frame.length, v).toBe(run.frames - 1);
      const pick = (arr: Float64Array) => content.frame.map((i) => arr[i]!);
      const cols: Array<[string, Float64Array]> = [
        ['content_val', run.contentValues],
        ['delta_hue', run.components.deltaHue],
        ['delta_sat', run.components.deltaSat],
        ['delta_lum', run.components.deltaLum],
        ['delta_edges', run.components.deltaEdges],
      ];
      const report: string[] = [];
      for (const [name, arr] of cols) {
        const d = diffStats(pick(arr), content.col(name) as number[]);
        report.push(`${name} max |Δ| ${d.max}`);
        expect(d.mean, `${v} ${name}`).toBeLessThan(0.01);
        if (bundledFfmpeg) expect(d.max, `${v} ${name}`).toBe(0);
      }
      const adaptive = readStats(`${v}.adaptive.stats.csv`);
      const refRatio = adaptive.col('adaptive_ratio (w=2)');
      const ours = adaptive.frame.map((i) => run.adaptiveRatios[i]!);
      expect(ours.map(Number.isNaN), `${v} undefined ratios`).toEqual(refRatio.map((r) => r === null));
      const defined = refRatio.flatMap((r, k) => (r === null ? [] : [[ours[k]!, r] as const]));
      const d = diffStats(defined.map((p) => p[0]), defined.map((p) => p[1]));
      report.push(`adaptive_ratio max |Δ| ${d.max}`);
      if (bundledFfmpeg) expect(d.max, `${v} adaptive_ratio`).toBe(0);
      else expect(d.mean, `${v} adaptive_ratio`).toBeLessThan(0.05);
      console.log(`[scene] ${v} stats: ${report.join(', ')}`);
    }
  });

  it('gives each cut its frame’s own timestamp and content_val', () => {
    const run = runs.get('testvideo.mp4')!;
    // 29.97 fps: frame n starts at n · 1001 / 30000 s (psd066_results: 00:00:01.001, 00:00:06.006, 00:00:13.146).
    expect(run.contentCuts.map((c) => c.frame)).toEqual([30, 180, 394]);
    for (const c of run.contentCuts) {
      expect(c.timeSec).toBeCloseTo((c.frame * 1001) / 30000, 6);
      expect(c.score).toBe(run.contentValues[c.frame]);
      expect(c.score).toBeGreaterThanOrEqual(27);
    }
  });

  it('detectSceneCuts runs the same pipeline end to end (counter.mp4, 1920×1080 at 10 fps)', async () => {
    const r = await detectSceneCuts(path.join(pysceneResources, 'counter.mp4'), { detector: 'adaptive' });
    expect(r).toMatchObject({ detector: 'adaptive', frameCount: 30, width: 256, height: 144 });
    expect(r.cuts.map((c) => [c.frame, c.timeSec])).toEqual([[20, 2]]);
    expect(r.cuts[0]!.score).toBe(r.adaptiveRatios![20]);
    expect(r.contentValues).toEqual(runs.get('counter.mp4')!.contentValues);
    expect(Array.from(r.frameTimes.subarray(0, 3))).toEqual([0, 0.1, 0.2]);
  });
});
