import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { resolveBinary } from '../../electron/core/media/binaries.ts';
import { OWNER_FILE, SCRATCH_PREFIX } from '../../electron/core/scratch/index.ts';
import { projectRoot } from './paths.ts';

// Fail once, clearly, if the media tools are missing, instead of in every test.
export default function setup(): () => void {
  for (const tool of ['ffmpeg', 'ffprobe'] as const) {
    const bin = resolveBinary(tool);
    console.log(`[v2m tests] ${tool}: ${bin.path} (${bin.origin})`);
  }
  // Every temporary file of the suite (the tests' own and the app's scratch folders, in the test
  // workers and in every CLI they spawn) goes to one folder, checked and removed at the end, so
  // the system temp directory is left as it was found.
  const suiteTmp = path.join(projectRoot, '.v2m-test-tmp', `tmp-${process.pid}`);
  mkdirSync(suiteTmp, { recursive: true });
  // Sticky and world-writable like /tmp: some tests run a child as an unprivileged user.
  chmodSync(suiteTmp, 0o1777);
  process.env.TMPDIR = suiteTmp;
  // Caches (the remix's track analyses) too, instead of the user's data folder; tests share them as runs of the app would.
  process.env.V2M_CACHE_DIR = path.join(suiteTmp, 'cache');
  return () => {
    // A scratch folder that still holds a job's files after every process ended is litter
    // (an empty one is only the root of a worker that was stopped).
    const litter = readdirSync(suiteTmp)
      .filter((n) => n.startsWith(SCRATCH_PREFIX))
      .filter((n) => readdirSync(path.join(suiteTmp, n)).some((e) => e !== OWNER_FILE));
    rmSync(suiteTmp, { recursive: true, force: true });
    if (litter.length > 0) throw new Error(`job scratch folders were left behind by the suite: ${litter.join(', ')}`);
  };
}
