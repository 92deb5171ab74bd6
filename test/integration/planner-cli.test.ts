import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runV2m } from '../helpers/cli.ts';
import { cutsClip } from '../helpers/clips.ts';
import { TINY_PACK } from '../unit/models/goldens.ts';

let tmp: string;
let env: NodeJS.ProcessEnv;
let clip: string;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-planner-cli-'));
  // Nothing installed and nothing bundled: only --pack finds a pack.
  mkdirSync(path.join(tmp, 'bundled'));
  env = { V2M_MODELS_DIR: path.join(tmp, 'models'), V2M_BUNDLED_MODELS: path.join(tmp, 'bundled'), V2M_DATA_DIR: path.join(tmp, 'data') };
  clip = await cutsClip('planner-cli-5s.mp4', { cutTimes: [1.5, 3.2], durationSec: 5 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface PlanJson { odfLR: number[]; accents: unknown[]; cuts: unknown[]; source: { planner: string; video: string } }

describe('v2m plan --planner', () => {
  it('heuristic (the default) and neural plans: same accents and cuts, the predictor\'s own ODF, each naming its planner', async () => {
    const h = await runV2m(['plan', clip, '--json'], { env });
    expect(h.code).toBe(0);
    const heuristic = JSON.parse(h.stdout) as PlanJson;
    expect(heuristic.source.planner).toBe('heuristic-1');
    const explicit = await runV2m(['plan', clip, '--planner', 'heuristic', '--json'], { env });
    expect(JSON.parse(explicit.stdout)).toEqual(heuristic);

    const n = await runV2m(['plan', clip, '--planner', 'neural', '--pack', TINY_PACK, '--device', 'cpu', '--json'], { env, timeoutMs: 90_000 });
    expect(n.stderr).toBe('');
    expect(n.code).toBe(0);
    const neural = JSON.parse(n.stdout) as PlanJson;
    expect(neural.source.planner).toBe('diffv2m-rhythm:diffv2m-tiny');
    expect(neural.source.video).toBe(clip);
    expect(neural.odfLR).toHaveLength(5);
    expect(Math.min(...neural.odfLR)).toBe(0);
    expect(Math.max(...neural.odfLR)).toBe(1);
    expect(neural.odfLR).not.toEqual(heuristic.odfLR);
    expect(neural.accents).toEqual(heuristic.accents);
    expect(neural.cuts).toEqual(heuristic.cuts);

    const summary = await runV2m(['plan', clip, '--planner', 'neural', '--pack', TINY_PACK], { env, timeoutMs: 90_000 });
    expect(summary.stdout).toMatch(/planner +diffv2m-rhythm:diffv2m-tiny/);
  }, 120_000);

  it('clear refusals: no pack installed, a pack without the rhythm model, a bad planner, --pack without neural', async () => {
    const none = await runV2m(['plan', clip, '--planner', 'neural', '--json'], { env });
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/neural planner needs a model pack with a rhythm predictor, and none is installed: install a Diff-V2M model pack with `v2m models install/);

    const broken = path.join(tmp, 'no-rhythm');
    cpSync(TINY_PACK, broken, { recursive: true });
    const m = JSON.parse(readFileSync(path.join(broken, 'manifest.json'), 'utf8'));
    delete m.models.rhythm_predictor;
    writeFileSync(path.join(broken, 'manifest.json'), JSON.stringify(m));
    const noRhythm = await runV2m(['plan', clip, '--planner', 'neural', '--pack', broken], { env });
    expect(noRhythm.code).toBe(1);
    expect(noRhythm.stderr).toMatch(/has no rhythm predictor \(its manifest lists no models\.rhythm_predictor\)/);

    const bad = await runV2m(['plan', clip, '--planner', 'oracle'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--planner must be heuristic or neural, got "oracle"/);
    const stray = await runV2m(['plan', clip, '--pack', TINY_PACK], { env });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--pack and --device choose the neural planner's model: add --planner neural/);
    const strict = await runV2m(['plan', clip, '--planner', 'neural', '--pack', TINY_PACK, '--device', 'cuda'], { env, timeoutMs: 90_000 });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/CUDA was required for clip_image \(diffv2m-tiny\) but cannot start: .*npm run gpu:cuda/);
  }, 120_000);
});

describe('v2m score --planner neural', () => {
  it('scores on the predictor\'s plan and the report records it', async () => {
    const out = path.join(tmp, 'scored.mp4');
    const report = path.join(tmp, 'report.json');
    const r = await runV2m(['score', clip, '--planner', 'neural', '--pack', TINY_PACK, '--device', 'cpu', '-o', out, '--report', report], { env, timeoutMs: 150_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/planner +diffv2m-rhythm:diffv2m-tiny/);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { plan: PlanJson; sync: unknown };
    expect(rep.plan.source.planner).toBe('diffv2m-rhythm:diffv2m-tiny');
    expect(rep.sync).not.toBeNull();
    const n = await runV2m(['plan', clip, '--planner', 'neural', '--pack', TINY_PACK, '--device', 'cpu', '--json'], { env, timeoutMs: 90_000 });
    expect(rep.plan.odfLR).toEqual((JSON.parse(n.stdout) as PlanJson).odfLR);
    const batch = await runV2m(['score', clip, '--out-dir', path.join(tmp, 'batch'), '--planner', 'neural'], { env });
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/batch scoring uses the heuristic planner/);
  }, 200_000);
});
