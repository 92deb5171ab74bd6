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
  cuts: [{ id: 'c1', timeSec: 2, kind: 'detected' }, { id: 'c2', timeSec: 5, kind: 'detected' }],
  accents: [
    { id: 'a1', timeSec: 1, strength: 0.4, kind: 'visual-beat' },
    { id: 'a2', timeSec: 3.5, strength: 0.9, kind: 'cut' },
    { id: 'a3', timeSec: 7, strength: 1, kind: 'user' },
  ],
  odf: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  tempo: null,
};

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Marker times of a plan list, for compact assertions. */
export const times = (list: ReadonlyArray<{ timeSec: number }>): number[] => list.map((m) => m.timeSec);
