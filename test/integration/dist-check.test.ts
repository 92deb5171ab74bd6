import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/paths.ts';

// The packaging config is only exercised for real on a release machine; this keeps it honest here.
describe('npm run dist:check', () => {
  it('packs the app against a stub Electron and finds it complete and hardened', () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/dist-check.js')], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out, out).toMatch(/dist:check passed/);
    expect(out).toMatch(/asar leaves out the GPL TimGM6mb SoundFont/);
    expect(r.status).toBe(0);
  }, 200_000);
});
