import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { cutsClip } from '../helpers/clips.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// The Resolve Studio Python script under python3, against a fake of Resolve's Python API,
// talking to the real app over HTTP with urllib, as it would inside Resolve Studio.

const PYTHON = 'python3';
const havePython = spawnSync(PYTHON, ['--version']).status === 0;
if (!havePython) console.warn(`[resolve-python-script.test] skipped: ${PYTHON} is not installed (apt-get install python3).`);

const script = path.join(projectRoot, 'plugins/resolve/V2M Studio (Python).py');
const driver = path.join(projectRoot, 'test/integration/resolve/run_script.py');
const fake = path.join(projectRoot, 'test/integration/resolve/fake_resolve.py');

interface PyRun {
  ok: boolean;
  error?: string;
  code?: string;
  result?: { audioTrack: number; markersAdded: number; markersReplaced: number; clipId: string; generationId: string };
  markers: Array<{ frame: number; color: string; name: string; note: string; duration: number; customData: string }>;
  audioTracks: Array<{ clips: Array<{ path: string; recordFrame: number; startFrame: number; endFrame: number }> }>;
  imported: string[];
  exports: Array<{ path: string; type: number }>;
  /** Times the script read the timeline through the API (GetItemListInTrack) instead of the export. */
  apiReads: number;
  start: number;
  said: string[];
}

function runPython(specFile: string): Promise<PyRun> {
  return new Promise((resolve, reject) => {
    // No bytecode cache next to the shipped script.
    const child = spawn(PYTHON, ['-B', driver, script, fake, specFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as PyRun);
      } catch {
        reject(new Error(`python exited ${code}: ${out}\n${err}`));
      }
    });
  });
}

describe.skipIf(!havePython)('Resolve Studio script (Python) against the real app', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let media: string;
  let dataDir: string;

  beforeAll(async () => {
    tmp = tempDir('v2m-resolve-py-');
    dataDir = path.join(tmp.dir, 'data');
    media = await cutsClip('panel-resolve-py.mp4', { cutTimes: [2], durationSec: 4, audio: true });
    bridge = await openBridge({ dataDir, panels: true, panelPort: 0 });
  });
  afterAll(async () => {
    await bridge?.close();
    tmp?.cleanup();
  });

  const spec = (name: string, config: Record<string, unknown>, clips: unknown[], extra: Record<string, unknown> = {}) => {
    const file = path.join(tmp.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({
      config: { dataDir, pollSec: 0.2, analysisTimeoutSec: 60, generationTimeoutSec: 60, ...config },
      timeline: { name, fps: '25', durationFrames: 100, clips, markers: [{ frame: 20, name: 'Editor marker' }], ...extra },
    }));
    return file;
  };

  it('pairs, sends the timeline, waits for the music generated in the app, and places it with every marker', async () => {
    // The user generates in the app while the script waits: do it when the sequence is ready.
    const stop = bridge.panels!.service.onJob((s) => {
      if (s.state !== 'done' || s.generationId) return;
      void (async () => {
        const [p] = await bridge.engine.listRecentProjects({ limit: 1 });
        const clip = (await bridge.engine.openProject({ projectId: p!.id })).clips[0]!;
        await bridge.engine.generate({ clipId: clip.id, generator: 'composer', seed: 7 });
      })();
    });
    const run = await runPython(spec('Resolve cut', { pairingCode: bridge.panels!.pairing.code().code }, [
      { name: 'A', mediaPath: media, recordIn: 0, recordOut: 50, sourceIn: 0 },
      { name: 'A', mediaPath: media, recordIn: 50, recordOut: 100, sourceIn: 50 },
    ]));
    stop();
    expect(run.error).toBeUndefined();
    expect(run.ok).toBe(true);
    // It tried Resolve's own FCP7 XML export first, into the app's exchange folder.
    expect(run.exports).toHaveLength(1);
    expect(run.exports[0]!.type).toBe(7);
    expect(path.extname(run.exports[0]!.path)).toBe('.xml');
    const placement = await bridge.panels!.service.placement({ clipId: run.result!.clipId });
    expect(run.result!.generationId).toBe(placement.generationId);
    expect(run.imported).toEqual([placement.musicPath]);
    expect(run.audioTracks).toEqual([{ clips: [{ path: placement.musicPath, recordFrame: run.start, startFrame: 0, endFrame: placement.durationFrames - 1 }] }]);
    expect(run.result!.audioTrack).toBe(1);
    expect(placement.markers.length).toBeGreaterThan(0);
    expect(run.result!.markersAdded).toBe(placement.markers.length);
    const ours = run.markers.filter((m) => m.customData.startsWith('v2m-'));
    expect(ours.map((m) => [m.frame, m.customData, m.name, m.note])).toEqual(placement.markers.map((m) => [m.frame, m.id, m.name, m.note]));
    const colour: Record<string, string> = { blue: 'Blue', yellow: 'Yellow', green: 'Green', purple: 'Purple', cyan: 'Cyan', red: 'Red', orange: 'Sand' };
    for (const m of placement.markers) expect(ours.find((x) => x.customData === m.id)!.color).toBe(colour[m.color]);
    expect(run.markers.find((m) => m.frame === 20)!.name).toBe('Editor marker');
    // The app read Resolve's FCP7 XML export, not the scripting API's view of the timeline.
    expect(run.apiReads).toBe(0);
    expect(run.said.at(-1)).toBe(`Placed the music on audio track A1 and ${placement.markers.length} markers.`);
    // The token is kept for the next run: a second run needs no code.
    const second = await runPython(spec('Offline', {}, [{ name: 'Gone', mediaPath: '/nowhere/gone.mov', recordIn: 0, recordOut: 100, sourceIn: 0 }]));
    expect(second.error).toBe('Sequence "Offline" has 1 clip with offline media: "Gone" (/nowhere/gone.mov). Relink the media in the editor and send the sequence again.');
    expect(second.audioTracks).toEqual([]);
    // An export the app cannot read: the script says so and reads the timeline through the API.
    const broken = await runPython(spec('Broken export', {}, [{ name: 'Gone', mediaPath: '/nowhere/gone.mov', recordIn: 0, recordOut: 100, sourceIn: 0 }], { exportBroken: true }));
    expect(broken.said.some((t) => /FCP7 XML export could not be read .*reading the timeline through the scripting API/.test(t))).toBe(true);
    expect(broken.apiReads).toBeGreaterThan(0);
    expect(broken.error).toMatch(/Sequence "Broken export" has 1 clip with offline media/);
  }, 120_000);

  it('refuses a wrong pairing code and reports an app that is not running', async () => {
    const other = path.join(tmp.dir, 'fresh');
    const fresh = await openBridge({ dataDir: other, panels: true, panelPort: 0 });
    const wrong = fresh.panels!.pairing.code().code === '000000' ? '000001' : '000000';
    const refused = await runPython(spec('Wrong code', { dataDir: other, pairingCode: wrong }, []));
    expect(refused.error).toMatch(/not the one V2M Studio shows/);
    await fresh.close();
    const notRunning = await runPython(spec('No app', { dataDir: other, pairingCode: wrong }, []));
    expect(notRunning.error).toMatch(/^V2M Studio is not running \(no .*panel-bridge\.json\)\. Start the app/);
    // A discovery file left by an app that crashed: the port it names no longer answers.
    writeFileSync(path.join(other, 'panel-bridge.json'), JSON.stringify({ port: fresh.panels!.port, httpBase: `http://127.0.0.1:${fresh.panels!.port}/panel/v1` }));
    const crashed = await runPython(spec('Crashed app', { dataDir: other, pairingCode: wrong }, []));
    expect(crashed.error).toBe(`V2M Studio is not running (nothing answers on port ${fresh.panels!.port}). Start the app, then run this script again.`);
  });

  it('says so when no timeline is open, before talking to the app', async () => {
    const run = await runPython(spec('None', { dataDir: path.join(tmp.dir, 'nowhere') }, [], { timeline: false }));
    expect(run.error).toBe('Open a timeline first (the one to score).');
  });
});
