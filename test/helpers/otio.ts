import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths.ts';

/** What otio-judge.py prints: OTIO 0.18.1's reading of a timeline, in frames at the timeline rate. */
export interface OtioItem {
  type: 'clip' | 'gap' | 'transition';
  name: string;
  recordIn: number;
  recordOut: number;
  inSec: number;
  outSec: number;
  url?: string | null;
  sourceIn?: number;
}
export interface OtioMarker {
  sec: number;
  name: string;
  color: string;
  frame: number;
  duration: number;
  comment: string;
}
export interface OtioTrack {
  name: string;
  kind: string;
  items: OtioItem[];
  markers: OtioMarker[];
}
export interface OtioReading {
  name: string;
  rate: number;
  globalStart: number | null;
  duration: number;
  stackMarkers: OtioMarker[];
  video: OtioTrack[];
  audio: OtioTrack[];
}

const venv = process.env.V2M_OTIO_VENV ?? '/tmp/otio-venv';
const python = path.join(venv, 'bin/python');
const judge = path.join(projectRoot, 'test/helpers/otio-judge.py');
const buildScript = path.resolve(projectRoot, '../shared/tools/build-otio.sh');

let ready: string | null | undefined;

/**
 * Null when OTIO is usable, else why not. Builds the venv with the shared script when it is
 * missing (about 95 s, offline); CI runs the script first so this is only a local fallback.
 */
export function otioUnavailable(): string | null {
  if (ready !== undefined) return ready;
  const imports = () => existsSync(python) && spawnSync(python, ['-c', 'import opentimelineio, otio_fcpx_xml_adapter, otio_fcp_adapter, otio_cmx3600_adapter'], { stdio: 'ignore' }).status === 0;
  if (!imports()) {
    if (!existsSync(buildScript)) return (ready = `OpenTimelineIO is not in ${venv} and ${buildScript} is missing`);
    // Test files run in parallel workers: one builds (holding a lock folder), the others wait for it.
    const lock = `${venv}.build-lock`;
    let status: number | null = 0;
    try {
      mkdirSync(lock);
      try {
        status = spawnSync('bash', [buildScript, venv], { stdio: 'ignore', timeout: 15 * 60_000 }).status;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const until = Date.now() + 15 * 60_000;
      while (existsSync(lock) && Date.now() < until) spawnSync('sleep', ['2']);
    }
    if (status !== 0 || !imports()) return (ready = `OpenTimelineIO could not be built into ${venv} (build-otio.sh exit ${status})`);
  }
  return (ready = null);
}

/** OTIO's reading of a file (adapter chosen by extension unless given; `rate` for EDLs). */
export function otioRead(file: string, adapter?: string, rate?: number | string): OtioReading {
  const args = [judge, 'read', file, adapter ?? '-', ...(rate ? [String(rate)] : [])];
  return JSON.parse(execFileSync(python, args, { encoding: 'utf8', maxBuffer: 64 << 20 })) as OtioReading;
}

/** A timeline spec OTIO turns into a file with one of its adapters (see otio-judge.py write). */
export interface OtioWriteSpec {
  name: string;
  rate: number;
  dropFrame?: boolean;
  start: number;
  clips: Array<{ name: string; url: string; sourceIn: number; duration: number } | { gap: number }>;
  markers?: Array<{ frame: number; name: string; color?: string }>;
}

export function otioWrite(specFile: string, out: string, adapter?: string): void {
  execFileSync(python, [judge, 'write', specFile, out, ...(adapter ? [adapter] : [])], { encoding: 'utf8' });
}

/** Record-time boundaries of a track's clips, without 0 and `end` (OTIO's view of our editPoints). */
export function otioEditPoints(track: OtioTrack | undefined, end: number): number[] {
  if (!track) return [];
  const s = new Set<number>();
  for (const i of track.items) if (i.type === 'clip') s.add(i.recordIn).add(i.recordOut);
  return [...s].filter((f) => f > 0 && f < end).sort((a, b) => a - b);
}

/** OTIO's reading of an editor file, saved as .otio JSON (`rate` for EDLs). */
export function otioConvert(file: string, out: string, rate?: string): void {
  execFileSync(python, [judge, 'convert', file, out, ...(rate ? [rate] : [])], { encoding: 'utf8' });
}
