import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePlanner, rhythmPack } from '../../../electron/core/models/planner-choice.ts';
import { heuristicPlanner } from '../../../electron/core/rhythm/index.ts';
import { TINY_PACK } from './goldens.ts';

let tmp: string;
let empty: { bundledDir: string; userDir: string };
let noRhythm: string;
let rhythmFileGone: string;

/** A copy of the tiny pack with its manifest changed by `edit` and the listed files removed. */
function brokenCopy(name: string, edit: (m: { models: Record<string, unknown> }) => void, remove: string[]): string {
  const dir = path.join(tmp, name);
  cpSync(TINY_PACK, dir, { recursive: true });
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { models: Record<string, unknown> };
  edit(m);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  for (const f of remove) rmSync(path.join(dir, f));
  return dir;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-planner-choice-'));
  empty = { bundledDir: path.join(tmp, 'bundled'), userDir: path.join(tmp, 'user') };
  mkdirSync(empty.bundledDir);
  mkdirSync(empty.userDir);
  noRhythm = brokenCopy('no-rhythm', (m) => delete m.models.rhythm_predictor, ['rhythm_predictor.onnx', 'rhythm_predictor.fp16.onnx']);
  rhythmFileGone = brokenCopy('rhythm-file-gone', () => {}, ['rhythm_predictor.onnx']);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('choosing the planner', () => {
  it('the heuristic needs no pack; the neural planner is named after its pack and closes it', async () => {
    const h = choosePlanner('heuristic');
    expect(h.planner).toBe(heuristicPlanner);
    expect(h.pack).toBeNull();
    const n = choosePlanner('neural', { pack: TINY_PACK, device: 'cpu' });
    expect(n.planner.name).toBe('diffv2m-rhythm:diffv2m-tiny');
    expect(n.pack?.options.device).toBe('cpu');
    await n.close();
    expect(() => choosePlanner('oracle' as never)).toThrow(/heuristic or neural, got "oracle"/);
  });

  it('an installed pack is found without naming it', () => {
    const user = path.join(tmp, 'with-pack');
    cpSync(TINY_PACK, path.join(user, 'diffv2m-tiny'), { recursive: true });
    expect(rhythmPack(undefined, { bundledDir: empty.bundledDir, userDir: user }).manifest.name).toBe('diffv2m-tiny');
  });

  it('no pack installed: says so and how to install one', () => {
    expect(() => rhythmPack(undefined, empty)).toThrow(/neural planner needs a model pack with a rhythm predictor, and none is installed: install a Diff-V2M model pack with `v2m models install <folder\|URL>`, or use the heuristic planner/);
  });

  it('a pack without the rhythm model is refused by name, not with a schema path', () => {
    expect(() => rhythmPack(noRhythm)).toThrow(/The model pack diffv2m-tiny \(.*no-rhythm\) has no rhythm predictor \(its manifest lists no models\.rhythm_predictor\); the neural planner needs one/);
    expect(() => choosePlanner('neural', { pack: noRhythm })).toThrow(/has no rhythm predictor/);
    expect(() => rhythmPack(rhythmFileGone)).toThrow(/has no rhythm predictor file rhythm_predictor\.onnx; the neural planner needs it: install the pack again/);
  });

  it('a pack name that is not installed lists what is', () => {
    expect(() => rhythmPack('nope', empty)).toThrow(/No model pack named "nope"\. None is installed/);
  });
});
