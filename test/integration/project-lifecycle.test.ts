import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/core/api/engine.ts';
import { parseApiInput } from '../../electron/shared/schemas.ts';
import { cutsClip } from '../helpers/clips.ts';
import { sharedData } from '../helpers/paths.ts';
import { tempDir } from '../unit/store/store-fixtures.ts';

// Projects as a user manages them: an import into a new project that fails leaves no project;
// rename; delete lists what goes and what stays, refuses while a job runs, removes only what the
// app made inside its data folder.

describe('project lifecycle (engine API)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let engine: Engine;
  let clipFile: string;
  let dataDir: string;

  beforeAll(async () => {
    tmp = tempDir('v2m-projects-');
    dataDir = path.join(tmp.dir, 'data');
    engine = new Engine({ libraryFile: path.join(dataDir, 'library.sqlite'), transport: 'direct', mediaUrl: (id) => `/media/${id}` });
    clipFile = await cutsClip('project-life-3s.mp4', { cutTimes: [1.5], durationSec: 3, audio: true });
  });
  afterAll(async () => {
    await engine?.close();
    tmp.cleanup();
  });

  const names = async () => (await engine.listRecentProjects({})).map((p) => p.name);

  it('a failed import into a new project leaves no project behind', async () => {
    const before = await names();
    const notVideo = path.join(tmp.dir, 'notes.mp4');
    writeFileSync(notVideo, 'this is not a video');
    await expect(engine.importIntoNewProject({ path: notVideo, kind: 'clip' })).rejects.toThrow();
    const badTimeline = path.join(tmp.dir, 'broken.fcpxml');
    writeFileSync(badTimeline, '<fcpxml version="1.10"><resources>');
    await expect(engine.importIntoNewProject({ path: badTimeline, kind: 'timeline' })).rejects.toThrow(/broken\.fcpxml/);
    await expect(engine.importIntoNewProject({ path: path.join(tmp.dir, 'missing.mov'), kind: 'clip' })).rejects.toThrow();
    expect(await names()).toEqual(before);

    const ok = await engine.importIntoNewProject({ path: clipFile, kind: 'clip' });
    expect(ok.project.name).toBe('project-life-3s');
    expect(ok.clip!.path).toBe(clipFile);
    const tl = await engine.importIntoNewProject({ path: path.join(sharedData, 'timelines/premiere_example.xml'), kind: 'timeline', name: 'From Premiere' });
    expect(tl.timeline!.projectId).toBe(tl.project.id);
    expect(await names()).toEqual(['From Premiere', 'project-life-3s', ...before]);
  });

  it('renames with the name trimmed, and refuses an empty or overlong name with a clear message', async () => {
    const p = await engine.createProject({ name: 'Draft' });
    expect((await engine.renameProject({ projectId: p.id, name: '  Final cut  ' })).name).toBe('Final cut');
    expect((await engine.openProject({ projectId: p.id })).name).toBe('Final cut');
    expect(() => parseApiInput('renameProject', { projectId: p.id, name: '   ' })).toThrow(/project name is empty/);
    expect(() => parseApiInput('renameProject', { projectId: p.id, name: 'x'.repeat(201) })).toThrow(/200 characters at most/);
    await expect(engine.renameProject({ projectId: 'nope', name: 'X' })).rejects.toThrow(/No project with id nope/);
  });

  it('deletes a project with its generations: lists them first, removes their files, keeps media and exports', async () => {
    const { project, clip } = await engine.importIntoNewProject({ path: clipFile, kind: 'clip', name: 'To delete' });
    await engine.waitForJob((await engine.analyze({ clipId: clip!.id })).jobId);
    const gen = await engine.waitForJob((await engine.generate({ clipId: clip!.id, generator: 'composer', seed: 3 })).jobId) as { id: string; files: Array<{ path: string }> };
    const exportPath = path.join(tmp.dir, 'deliveries', 'music.wav');
    mkdirSync(path.dirname(exportPath), { recursive: true });
    await engine.waitForJob((await engine.exportProject({ projectId: project.id, generationId: gen.id, kind: 'wav', path: exportPath })).jobId);

    // A job running for it: the delete is refused and nothing is lost.
    const running = await engine.generate({ clipId: clip!.id, generator: 'composer', seed: 4 });
    await expect(engine.deleteProject({ projectId: project.id })).rejects.toThrow(/"To delete" has 1 job running .* cancel it or wait, then delete/);
    expect((await engine.openProject({ projectId: project.id })).clips).toHaveLength(1);
    engine.cancelJob({ jobId: running.jobId });
    await engine.waitForJob(running.jobId).catch(() => undefined);

    const preview = await engine.previewProjectDeletion({ projectId: project.id });
    expect(preview.runningJobs).toBe(0);
    expect(preview.generations.map((g) => g.id)).toEqual([gen.id]);
    expect(preview.exports.map((e) => [e.kind, e.path])).toEqual([['wav', exportPath]]);
    const genFiles = gen.files.map((f) => f.path);
    expect(genFiles.length).toBeGreaterThan(0);
    expect([...preview.removes].sort()).toEqual([...genFiles].sort());
    expect(preview.keeps).toEqual(expect.arrayContaining([clipFile, exportPath]));
    for (const f of preview.removes) expect(f.startsWith(dataDir)).toBe(true);

    const done = await engine.deleteProject({ projectId: project.id });
    expect(done).toEqual({ projectId: project.id, removedFiles: genFiles.length, notRemoved: [] });
    for (const f of genFiles) expect(existsSync(f)).toBe(false);
    expect(existsSync(clipFile)).toBe(true);
    expect(existsSync(exportPath)).toBe(true);
    expect(await names()).not.toContain('To delete');
    await expect(engine.openProject({ projectId: project.id })).rejects.toThrow(/No project with id/);
    await expect(engine.listGenerations({ clipId: clip!.id })).rejects.toThrow(/No clip with id/);
    await expect(engine.deleteProject({ projectId: project.id })).rejects.toThrow(/No project with id/);
  }, 180_000);
});
