import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { badInputs } from '../helpers/bad-inputs.ts';
import { commandLoaders, loadAllCommands } from '../../electron/cli/commands/index.ts';
import { runV2m } from '../helpers/cli.ts';
import { clearBinaryCache, resolveBinary } from '../../electron/core/media/binaries.ts';
import { projectRoot, testVideo } from '../helpers/paths.ts';

describe('v2m probe', () => {
  let bad: Awaited<ReturnType<typeof badInputs>>;
  beforeAll(async () => {
    bad = await badInputs();
  });

  it('prints the documented JSON for testvideo.mp4 (relative path, as in the README)', async () => {
    const rel = path.relative(projectRoot, testVideo);
    const r = await runV2m(['probe', rel, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      container: 'mp4',
      video: { codec: 'h264', width: 1280, height: 720, frameCount: 720, vfr: false, rotation: 0 },
      audio: null,
    });
    expect(j.durationSec).toBeCloseTo(24.02, 2);
    expect(j.video.fps).toBeCloseTo(29.97, 2);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['durationSec', 'container', 'video', 'audio']));
  });

  it('prints a readable summary without --json', async () => {
    const r = await runV2m(['probe', testVideo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/video\s+h264 1280×720, 29\.970 fps, 720 frames/);
    expect(r.stdout).toMatch(/audio\s+none/);
  });

  it('describes an audio-only file with video null', async () => {
    const r = await runV2m(['probe', bad.audioOnly, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ video: null, audio: { codec: 'aac', sampleRate: 44100, channels: 1 } });
  });

  it.each([
    ['missing', () => bad.missing, /File not found/],
    ['directory', () => bad.dir, /is a folder/],
    ['empty', () => bad.empty, /is empty \(0 bytes\)/],
    ['text', () => bad.text, /is not a video or audio file/],
    ['truncated', () => bad.truncated, /is incomplete/],
  ])('fails on a %s file with exit code 1 and a message on stderr only', async (_n, file, message) => {
    const r = await runV2m(['probe', file(), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^v2m probe: /);
    expect(r.stderr).toMatch(message);
  });

  it('explains usage mistakes with exit code 2', async () => {
    const none = await runV2m(['probe']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/probe takes exactly one file[\s\S]*Usage: v2m probe <file>/);
    const flag = await runV2m(['probe', testVideo, '--jsn']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--jsn/);
    const unknown = await runV2m(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('has help and version', async () => {
    const help = await runV2m(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/probe\s+describe a video/);
    const version = await runV2m(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('loads each command under its own name (each is loaded only when it runs), and the help lists them all', async () => {
    const all = await loadAllCommands();
    expect(all.map((c) => c.name)).toEqual(commandLoaders.map((c) => c.name));
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    const help = await runV2m(['--help']);
    for (const c of all) expect(help.stdout).toContain(`${c.name}  `);
  });
});

describe('v2m info', () => {
  it('names the ffmpeg and ffprobe that run: path, where they were found, their version', async () => {
    const r = await runV2m(['info', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    clearBinaryCache();
    for (const tool of ['ffmpeg', 'ffprobe'] as const) {
      const bin = resolveBinary(tool);
      expect(j[tool]).toEqual({ path: bin.path, source: bin.source, origin: bin.origin, version: expect.stringMatching(/\S/) });
    }
    const text = await runV2m(['info']);
    expect(text.stdout).toMatch(new RegExp(`^  ffmpeg +${j.ffmpeg.version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  ${j.ffmpeg.path}  \\(`, 'm'));
  });

  it('reports an override and its version; a missing tool is exit 1 with the reason; --version never starts ffmpeg', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'v2m-info-'));
    const fake = path.join(dir, 'ffmpeg');
    writeFileSync(fake, '#!/bin/sh\necho "ffmpeg version 6.1.1-static https://johnvansickle.com/ffmpeg/"\n');
    chmodSync(fake, 0o755);
    const r = await runV2m(['info', '--json'], { env: { V2M_FFMPEG: fake } });
    expect(JSON.parse(r.stdout).ffmpeg).toEqual({ path: fake, source: 'override', origin: 'V2M_FFMPEG', version: '6.1.1-static' });
    const broken = await runV2m(['info'], { env: { V2M_FFPROBE: path.join(dir, 'nowhere') } });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^  ffprobe +not found$/m);
    expect(broken.stderr).toMatch(/V2M_FFPROBE is set to/);
    const version = await runV2m(['--version'], { env: { V2M_FFMPEG: path.join(dir, 'nowhere'), V2M_FFPROBE: path.join(dir, 'nowhere') } });
    expect(version.code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
