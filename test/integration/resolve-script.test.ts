import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { editPoints, readTimelineFile } from '../../electron/core/timeline/index.ts';
import { otioEditPoints, otioRead, otioUnavailable } from '../helpers/otio.ts';
import { cutsClip } from '../helpers/clips.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// The Resolve Lua script under Debian's lua5.4, against a fake Resolve, talking to the real app
// over HTTP through curl, exactly as it would inside Resolve's free version.

const LUA = 'lua5.4';
const haveLua = spawnSync(LUA, ['-v']).status === 0 && spawnSync('curl', ['--version']).status === 0;
if (!haveLua) console.warn(`[resolve-script.test] skipped: ${LUA} or curl is not installed (apt-get install lua5.4 curl).`);

const script = path.join(projectRoot, 'plugins/resolve/V2M Studio.lua');
const driver = path.join(projectRoot, 'test/integration/resolve/run-script.lua');
const fake = path.join(projectRoot, 'test/integration/resolve/fake-resolve.lua');

interface LuaRun {
  ok: boolean;
  error?: string;
  result?: { audioTrack: number; markersAdded: number; clipId: string; generationId: string };
  markers: Array<{ frame: number; color: string; name: string; customData: string }>;
  audioTracks: Array<{ clips: Array<{ path: string; recordFrame: number; endFrame: number }> }>;
  imported: string[];
  start: number;
  said: string[];
  /** Times the script read the timeline through the API (GetItemListInTrack) instead of the export. */
  apiReads: number;
  exports: number;
}

function runLua(specFile: string): Promise<LuaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(LUA, [driver, script, fake, specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as LuaRun);
      } catch {
        reject(new Error(`lua exited ${code}: ${out}\n${err}`));
      }
    });
  });
}

describe.skipIf(!haveLua)('Resolve script (Lua) against the real app', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let media: string;
  let dataDir: string;

  beforeAll(async () => {
    tmp = tempDir('v2m-resolve-');
    dataDir = path.join(tmp.dir, 'data');
    media = await cutsClip('panel-resolve.mp4', { cutTimes: [2], durationSec: 4, audio: true });
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
    const run = await runLua(spec('Resolve cut', { pairingCode: bridge.panels!.pairing.code().code }, [
      { name: 'A', mediaPath: media, recordIn: 0, recordOut: 50, sourceIn: 0 },
      { name: 'A', mediaPath: media, recordIn: 50, recordOut: 100, sourceIn: 50 },
    ]));
    stop();
    expect(run.error).toBeUndefined();
    expect(run.ok).toBe(true);
    const placement = await bridge.panels!.service.placement({ clipId: run.result!.clipId });
    expect(run.imported).toEqual([placement.musicPath]);
    expect(run.audioTracks).toHaveLength(1);
    expect(run.audioTracks[0]!.clips).toEqual([{ path: placement.musicPath, recordFrame: run.start, startFrame: 0, endFrame: placement.durationFrames - 1 }]);
    expect(placement.markers.length).toBeGreaterThan(0);
    const ours = run.markers.filter((m) => m.customData.startsWith('v2m-'));
    expect(ours.map((m) => [m.frame, m.customData, m.name])).toEqual(placement.markers.map((m) => [m.frame, m.id, m.name]));
    const colour: Record<string, string> = { blue: 'Blue', yellow: 'Yellow', green: 'Green', purple: 'Purple', cyan: 'Cyan', red: 'Red' };
    for (const m of placement.markers) expect(ours.find((x) => x.customData === m.id)!.color).toBe(colour[m.color]);
    expect(run.markers.find((m) => m.frame === 20)!.name).toBe('Editor marker');
    // The app read Resolve's FCP7 XML export: the edit at frame 50 is a cut, the editor's marker an accent.
    expect(run.exports).toBe(1);
    expect(run.apiReads).toBe(0);
    const plan = (await bridge.engine.getRhythmPlan({ clipId: run.result!.clipId }))!.plan;
    const secs = (xs: unknown[]) => xs.map((x) => (typeof x === 'number' ? x : (x as { timeSec: number }).timeSec));
    expect(secs(plan.cuts).some((t) => Math.abs(t - 2) < 0.02)).toBe(true);
    expect(secs(plan.accents).some((t) => Math.abs(t - 0.8) < 0.02)).toBe(true);
    // The token is kept for the next run: a second run needs no code.
    const second = await runLua(spec('Offline', {}, [{ name: 'Gone', mediaPath: '/nowhere/gone.mov', recordIn: 0, recordOut: 100, sourceIn: 0 }]));
    expect(second.error).toBe('Sequence "Offline" has 1 clip with offline media: "Gone" (/nowhere/gone.mov). Relink the media in the editor and send the sequence again.');
    expect(second.apiReads).toBe(0);
    // An export the app cannot read: the script says so and reads the timeline through the API.
    const broken = await runLua(spec('Broken export', {}, [{ name: 'Gone', mediaPath: '/nowhere/gone.mov', recordIn: 0, recordOut: 100, sourceIn: 0 }], { exportBroken: true }));
    expect(broken.said.some((t) => /FCP7 XML export could not be read .*reading the timeline through the scripting API/.test(t))).toBe(true);
    expect(broken.apiReads).toBeGreaterThan(0);
    expect(broken.error).toMatch(/Sequence "Broken export" has 1 clip with offline media/);
  }, 120_000);

  it('refuses a wrong pairing code and reports an app that is not running', async () => {
    const other = path.join(tmp.dir, 'fresh');
    const fresh = await openBridge({ dataDir: other, panels: true, panelPort: 0 });
    const wrong = fresh.panels!.pairing.code().code === '000000' ? '000001' : '000000';
    const refused = await runLua(spec('Wrong code', { dataDir: other, pairingCode: wrong }, []));
    expect(refused.error).toMatch(/not the one V2M Studio shows/);
    await fresh.close();
    const notRunning = await runLua(spec('No app', { dataDir: other, pairingCode: wrong }, []));
    expect(notRunning.error).toMatch(/V2M Studio is not running/);
  });

  it.skipIf(otioUnavailable() !== null)("the fake's FCP7 XML export reads the same in OpenTimelineIO's fcp_xml adapter and in ours", async () => {
    const file = path.join(tmp.dir, 'export.xml');
    const timeline = { name: 'Fidelity & co', fps: '25', durationFrames: 100, markers: [{ frame: 20, name: 'Editor marker' }], clips: [
      { name: 'A', mediaPath: media, recordIn: 0, recordOut: 40, sourceIn: 10 },
      { name: 'B', mediaPath: media, recordIn: 40, recordOut: 100, sourceIn: 0 },
    ] };
    const lua = `local tl = dofile(arg[1]).new(${luaTable(timeline)}); tl:GetProjectManager():GetCurrentProject():GetCurrentTimeline():Export(arg[2], 'fcp7xml')`;
    expect(spawnSync(LUA, ['-e', `arg = { '${fake}', '${file}' }`, '-e', lua]).status).toBe(0);
    const peer = otioRead(file, 'fcp_xml');
    const ours = (await readTimelineFile(file)).timeline;
    expect(ours.name).toBe('Fidelity & co');
    expect(otioEditPoints(peer.video[0], 100)).toEqual([40]);
    expect(editPoints(ours).map((e) => e.frame)).toEqual([40]);
    expect(peer.video[0]!.items.filter((i) => i.type === 'clip').map((i) => [i.recordIn, i.recordOut, i.sourceIn])).toEqual([[0, 40, 10], [40, 100, 0]]);
    expect(ours.videoTracks[0]!.clips.map((c) => [c.recordIn, c.recordOut, c.sourceIn, c.mediaPath])).toEqual([[0, 40, 10, media], [40, 100, 0, media]]);
    const peerMarkers = [...peer.stackMarkers, ...peer.video.flatMap((t) => t.markers)];
    expect(peerMarkers.map((m) => [m.frame, m.name])).toEqual([[20, 'Editor marker']]);
    expect(ours.markers.map((m) => [m.frame, m.name])).toEqual([[20, 'Editor marker']]);
  });
});

/** A JSON-like value as a Lua table constructor (the fake takes the spec as a table). */
function luaTable(v: unknown): string {
  if (Array.isArray(v)) return `{ ${v.map(luaTable).join(', ')} }`;
  if (v && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k} = ${luaTable(x)}`).join(', ')} }`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
