import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRecordedStep, ProjectStore } from '../../electron/core/store/index.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

const RUNS = 20;
const child = path.join(projectRoot, 'test/integration/store-crash-child.ts');

/** Runs the editing child until it has acknowledged a few edits, then SIGKILLs it at a random moment. */
function crashRun(file: string, run: number): Promise<{ clipId: string; acked: number[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file, String(run)], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let err = '';
    let clipId = '';
    const acked: number[] = [];
    let armed = false;
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('clip ')) clipId = l.slice(5);
        else if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
      }
      if (!armed && acked.length > 0) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), 5 + Math.random() * 120);
      }
    });
    proc.on('close', (code, signal) => {
      // A line may be cut by the kill; only whole lines count as acknowledgements.
      if (signal !== 'SIGKILL') return reject(new Error(`editing child ended by itself (code ${code}): ${err}`));
      resolve({ clipId, acked });
    });
  });
}

describe('store crash safety', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('v2m-crash-');
  });
  afterAll(() => tmp.cleanup());

  it(`keeps every acknowledged edit through ${RUNS} SIGKILLs`, async () => {
    const file = path.join(tmp.dir, 'library.sqlite');
    const allAcked: number[] = [];
    let total = 0;
    for (let run = 0; run < RUNS; run++) {
      const { clipId, acked } = await crashRun(file, run);
      expect(acked.length, `run ${run} acknowledged nothing`).toBeGreaterThan(0);
      allAcked.push(...acked);
      const store = ProjectStore.open(file);
      try {
        expect(store.integrityCheck()).toEqual(['ok']);
        const state = store.getPlan(clipId)!;
        const present = new Set(state.plan.accents.map((a) => a.timeSec));
        const missing = allAcked.filter((t) => !present.has(t));
        expect(missing, `run ${run}: acknowledged edits lost`).toEqual([]);
        // At most the one edit in flight at the kill may be there unacknowledged.
        expect(state.plan.accents.length - allAcked.length).toBeGreaterThanOrEqual(0);
        expect(state.plan.accents.length - allAcked.length).toBeLessThanOrEqual(run + 1);
        // Edits are whole: replaying the recorded history gives exactly the stored plan.
        const history = store.planHistory(clipId);
        const replayed = history.edits.slice(0, history.cursor).reduce((p, e) => applyRecordedStep(p, e, history.base, 86_400), history.base);
        expect(replayed).toEqual(state.plan);
        expect(history.cursor).toBe(state.editCount);
        total = state.plan.accents.length;
      } finally {
        store.close();
      }
    }
    expect(total).toBeGreaterThanOrEqual(RUNS);
    console.info(`[store crash] ${RUNS} SIGKILLs, ${allAcked.length} acknowledged edits, all present; ${total} accents in the plan`);
  });
});
