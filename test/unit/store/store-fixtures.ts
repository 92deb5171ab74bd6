import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClipProbe, RhythmPlan } from '../../../electron/shared/domain.ts';

export const probe10s: ClipProbe = {
  durationSec: 10,
  container: 'mp4',
  video: { codec: 'h264', width: 320, height: 240, fps: 25, frameCount: 250, vfr: false, rotation: 0 },
  audio: null,
};

export const plan10s: RhythmPlan = {
  cuts: [2, 5],
  accents: [1, 3.5, 7],
  odf: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  tempo: null,
};

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
