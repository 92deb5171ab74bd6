import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConnection } from '../../plugins/premiere/src/app-connection.ts';
import { PanelController } from '../../plugins/premiere/src/panel-controller.ts';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { PANEL_DISCOVERY_FILE } from '../../electron/shared/panel-protocol.ts';
import { cutsClip } from '../helpers/clips.ts';
import { fakePremiere, memoryStore } from '../helpers/fake-premiere.ts';
import { TestWebSocket } from '../helpers/ws-client.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// The Premiere panel's logic against the fake host, end to end through the real panel port.

const TPF_25 = 254_016_000_000n / 25n;
const sockets = (url: string) => new TestWebSocket(url);

describe('Premiere Pro panel against the real app', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bridge: RunningBridge;
  let media: string;

  beforeAll(async () => {
    tmp = tempDir('v2m-premiere-');
    media = await cutsClip('panel-premiere.mp4', { cutTimes: [2], durationSec: 4.5, audio: true });
    bridge = await openBridge({ dataDir: path.join(tmp.dir, 'data'), panels: true, panelPort: 0 });
  });
  afterAll(async () => {
    await bridge?.close();
    tmp?.cleanup();
  });

  it('writes a discovery file with the port and not the token, and removes it on close', async () => {
    const file = path.join(tmp.dir, 'data', PANEL_DISCOVERY_FILE);
    const info = JSON.parse(readFileSync(file, 'utf8')) as { port: number; httpBase: string };
    expect(info.port).toBe(bridge.panels!.port);
    expect(info.httpBase).toBe(`http://127.0.0.1:${info.port}/panel/v1`);
    expect(readFileSync(file, 'utf8')).not.toMatch(/token/i);
    const other = await openBridge({ dataDir: path.join(tmp.dir, 'other'), panels: true, panelPort: 0 });
    const otherFile = path.join(tmp.dir, 'other', PANEL_DISCOVERY_FILE);
    expect(existsSync(otherFile)).toBe(true);
    await other.close();
    expect(existsSync(otherFile)).toBe(false);
  });

  it('sends a sequence, generates with the built-in composer and places music and every marker on its frame', async () => {
    const { ppro, project, seq } = fakePremiere({
      ticksPerFrame: TPF_25,
      durationFrames: 112,
      clips: [
        { name: 'Take 1', mediaPath: media, recordIn: 0, recordOut: 50, sourceIn: 0 },
        { name: 'Take 1', mediaPath: media, recordIn: 50, recordOut: 112, sourceIn: 50 },
      ],
      markers: [{ frame: 30, name: 'Hit here' }],
    });
    const store = memoryStore();
    const conn = new AppConnection(sockets, store);
    const states: string[] = [];
    conn.onStateChange = (s) => states.push(s);
    expect(await conn.connect(bridge.panels!.port)).toBe('unpaired');
    await expect(conn.request('status', {})).rejects.toThrow(/not paired/);
    await expect(conn.pair('not-it')).rejects.toThrow(/not the one V2M Studio shows/);
    await conn.pair(bridge.panels!.pairing.code().code);
    expect(conn.state).toBe('ready');
    expect(states).toEqual(['connecting', 'unpaired', 'ready']);

    const panel = new PanelController(ppro, conn, store);
    const stages: string[] = [];
    const sent = await panel.sendSequence((s) => stages.push(s));
    expect(stages.some((s) => /analys/i.test(s))).toBe(true);
    const plan = (await bridge.engine.getRhythmPlan({ clipId: sent.clipId }))!.plan;
    const cutTimes = plan.cuts.map((c) => (typeof c === 'number' ? c : (c as { timeSec: number }).timeSec));
    const accentTimes = plan.accents.map((a) => (typeof a === 'number' ? a : (a as { timeSec: number }).timeSec));
    expect(cutTimes.some((t) => Math.abs(t - 2) < 0.04)).toBe(true);
    expect(accentTimes.some((t) => Math.abs(t - 1.2) < 0.04)).toBe(true);

    const generationId = await panel.generate();
    expect(generationId).toMatch(/^[A-Za-z0-9_-]+$/);
    const placed = await panel.placeMusic();
    const music = seq.audioTracks[placed.audioTrackIndex]![0]!;
    expect(music.item.path).toBe(placed.placement.musicPath);
    expect(music.start).toBe(0n);
    expect(placed.placement.markers.length).toBeGreaterThan(0);
    for (const m of placed.placement.markers) {
      const onHost = seq.markers.find((x) => x.comments.includes(`[v2m:${m.id}]`));
      expect(onHost, m.id).toBeDefined();
      expect(onHost!.start).toBe(BigInt(m.frame) * TPF_25);
      expect(onHost!.name).toBe(m.name);
      expect(onHost!.colorIndex).toBe(m.color === 'blue' ? 5 : m.color === 'yellow' ? 4 : m.color === 'green' ? 0 : m.color === 'purple' ? 2 : m.color === 'cyan' ? 6 : 1);
    }
    expect(seq.markers.filter((m) => m.name === 'Hit here')).toHaveLength(1);
    expect(project.undoStack.slice(-2)).toEqual(['V2M Studio: place music and markers', 'V2M Studio: colour markers']);

    // Placing again replaces our markers instead of doubling them, and reuses the imported WAV.
    const items = project.items.length;
    const again = await panel.placeMusic(generationId);
    expect(again.markersReplaced).toBe(placed.placement.markers.length);
    expect(seq.markers.filter((m) => m.comments.includes('[v2m:'))).toHaveLength(placed.placement.markers.length);
    expect(project.items.length).toBe(items);
    conn.close();
  }, 120_000);

  it('refuses a sequence with offline media, naming the clips', async () => {
    const { ppro } = fakePremiere({
      ticksPerFrame: TPF_25,
      durationFrames: 100,
      clips: [
        { name: 'Take 1', mediaPath: media, recordIn: 0, recordOut: 50, sourceIn: 0 },
        { name: 'Drone shot', mediaPath: '/Volumes/Card/drone.mov', offline: true, recordIn: 50, recordOut: 100, sourceIn: 0 },
      ],
    });
    const store = memoryStore();
    const conn = new AppConnection(sockets, store);
    await conn.connect(bridge.panels!.port);
    await conn.pair(bridge.panels!.pairing.code().code);
    const panel = new PanelController(ppro, conn, store);
    await expect(panel.sendSequence()).rejects.toThrow('Sequence "Edit 1" has 1 clip with offline media: "Drone shot" (/Volumes/Card/drone.mov). Relink the media in the editor and send the sequence again.');
    await expect(panel.placeMusic()).rejects.toThrow(/has not been sent to V2M Studio yet/);
    conn.close();
  });

  it('says so when the app is not running, and forgets a token the app no longer knows', async () => {
    const conn = new AppConnection(sockets, memoryStore());
    const closed = await openBridge({ dataDir: path.join(tmp.dir, 'gone'), panels: true, panelPort: 0 });
    const port = closed.panels!.port;
    await closed.close();
    await expect(conn.connect(port)).rejects.toThrow(`V2M Studio is not running (nothing answers on 127.0.0.1:${port})`);
    expect(conn.state).toBe('disconnected');

    const store = memoryStore();
    store.setItem('v2m.panelToken', 'revoked-or-made-up');
    const c2 = new AppConnection(sockets, store);
    expect(await c2.connect(bridge.panels!.port)).toBe('unpaired');
    expect(store.getItem('v2m.panelToken')).toBeNull();
    c2.close();
  });

  it('keeps web pages and other hosts out, and needs a token on HTTP', async () => {
    const base = `http://127.0.0.1:${bridge.panels!.port}/panel/v1`;
    const noToken = await fetch(`${base}/status`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { error: { message: string } }).error.message).toMatch(/pairing code/);
    const page = await fetch(`${base}/pair`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: JSON.stringify({ code: '123456', client: 'x' }) });
    expect(page.status).toBe(403);
    const ping = await fetch(`${base}/ping`);
    expect(((await ping.json()) as { result: { protocol: number } }).result.protocol).toBe(1);
    const ws = new TestWebSocket(`ws://127.0.0.1:${bridge.panels!.port}/panel`, { Origin: 'http://evil.example' });
    const refused = await new Promise<string>((resolve) => {
      ws.onerror = (e) => resolve(e.message);
      ws.onopen = () => resolve('opened');
    });
    expect(refused).toMatch(/403/);
  });
});
