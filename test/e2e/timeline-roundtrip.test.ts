import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editPoints, readTimelineFile } from '../../electron/core/timeline/index.ts';
import { cutsClip } from '../helpers/clips.ts';
import { sharedData } from '../helpers/paths.ts';
import { hasChromium, screenshotDir, skipReason } from './browser.ts';
import { EditorPage } from './pages/editor-page.ts';
import { openE2eSession, type E2eSession } from './e2e-session.ts';

const shot = (name: string): string => path.join(screenshotDir, name);
// Premiere's FCP7 XML: one clip of D:/media/sc01_sh010_anim.mov at 536–636 of a 30 fps sequence.
const premiereXml = path.join(sharedData, 'timelines/premiere_example.xml');

if (!hasChromium) {
  console.warn(skipReason);
  describe('timeline round trip end to end', () => it.skip(skipReason, () => undefined));
} else {
  describe('timeline round trip end to end (Chromium against the browser bridge)', () => {
    let session: E2eSession;
    let tmp: string;
    let bridge: E2eSession['bridge'];
    let page: Page;
    let ui: EditorPage;
    let pageErrors: string[] = [];

    beforeAll(async () => {
      session = await openE2eSession({
        prefix: 'v2m-e2e-tl-', dataSubdir: 'data', consoleErrors: false,
        prepare: async (dir) => {
          mkdirSync(path.join(dir, 'footage'));
          copyFileSync(await cutsClip('tl-sh010-30fps.mp4', { cutTimes: [1.5], durationSec: 4, fps: 30, audio: true }), path.join(dir, 'footage', 'sc01_sh010_anim.mov'));
        },
      });
      ({ bridge, page, ui, pageErrors } = session);
      tmp = session.dir;
    });

    afterAll(async () => {
      await session?.close();
    });

    it('opens a Premiere timeline, relinks its media, shows its edit points, generates and sends it back as FCPXML and FCP7 XML', async () => {
      await page.goto(bridge.server.url);
      // Keyboard only: the path, Enter; the offline file is listed; the folder, Enter.
      await ui.importByKeyboard(premiereXml);
      await ui.timelineImport.getByTestId('missing-media').getByText('sc01_sh010_anim.mov', { exact: true }).waitFor({ timeout: 15_000 });
      expect(((await ui.timelineImport.getByTestId('timeline-summary').textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(/XMEML · 30\/1 fps · 41\.93 s · 1 clip · 2 edit points · 4 markers/);
      await ui.screenshot(shot('timeline-offline-media.png'));
      await ui.relinkTo(path.join(tmp, 'footage'));
      await page.getByTestId('conform-progress').or(page.getByTestId('analysis-progress')).first().waitFor({ timeout: 15_000 });
      await ui.waitForEditor(180_000);

      const { timeline } = await readTimelineFile(premiereXml);
      const cuts = await ui.times('cuts');
      expect(cuts.map((t) => Math.round(t * 1000))).toEqual(editPoints(timeline).map((e) => Math.round(e.timeSec * 1000)));
      expect(await ui.kinds('cuts')).toEqual(['edit', 'edit']);
      await expect(page.getByTestId('track-cuts').getAttribute('aria-label')).resolves.toMatch(/2 edit points from the editor's timeline/);
      await page.getByRole('button', { name: 'Fit' }).click();
      await ui.screenshot(shot('timeline-edit-cuts.png'));

      // Mouse: generate with the built-in composer.
      await page.getByTestId('generate-panel').getByLabel('Seed').fill('3');
      await page.getByTestId('generate').click();
      const error = page.getByTestId('generate-error');
      const gens = page.getByTestId('generations');
      await Promise.race([error.waitFor({ timeout: 180_000 }), gens.waitFor({ timeout: 180_000 })]);
      if (await error.isVisible()) throw new Error(`Generation failed in the UI: ${await error.textContent()}`);

      // Export: every format is listed; what cannot apply is disabled and says why.
      await page.getByTestId('open-export').click();
      const dialog = page.getByTestId('export-dialog');
      await expect(dialog.getByLabel('Destination folder').inputValue()).resolves.toContain(path.join(tmp, 'data', 'exports'));
      await expect(dialog.getByLabel('Stems (WAV per part)').isDisabled()).resolves.toBe(true);
      await dialog.getByText('This generation has no stems: generate again with stems turned on.').waitFor();
      for (const label of ['Scored video (MP4)', 'Music (WAV)']) await dialog.getByLabel(label).uncheck();
      for (const label of ['Final Cut Pro (FCPXML)', 'Premiere Pro / Resolve (FCP7 XML)']) await dialog.getByLabel(label).check();
      await ui.screenshot(shot('timeline-export-dialog.png'));
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await expect.poll(() => dialog.getByText('Saved to').count(), { timeout: 60_000 }).toBe(3);
      await expect(dialog.getByRole('alert').count()).resolves.toBe(0);
      const folder = await dialog.getByLabel('Destination folder').inputValue();
      const csv = readFileSync(path.join(folder, 'sc01_sh010_layerA-accents.csv'), 'utf8').trim().split('\n');
      const cutRows = csv.filter((l) => l.split(',')[1] === 'cut').map((l) => Number(l.split(',')[2]));
      expect(cutRows.map((t) => Math.round(t * 1000))).toEqual(cuts.map((t) => Math.round(t * 1000)));
      // What Final Cut and Premiere would import: the same sequence, its markers, the music from frame 0.
      for (const file of ['sc01_sh010_layerA-scored.fcpxml', 'sc01_sh010_layerA-scored.xml']) {
        const back = (await readTimelineFile(path.join(folder, file))).timeline;
        expect(editPoints(back), file).toEqual(editPoints(timeline));
        for (const m of timeline.markers) expect(back.markers.some((x) => x.frame === m.frame), `${file}: ${m.name}`).toBe(true);
        const music = back.audioTracks.flatMap((t) => t.clips).find((c) => /-music\.wav$/.test(c.mediaPath ?? ''));
        expect(music, file).toMatchObject({ recordIn: 0 });
      }
      await ui.screenshot(shot('timeline-exported.png'));
      await dialog.getByRole('button', { name: 'Close' }).click();

      // Mouse: an edit point drags like any cut and stays an edit point.
      await ui.dragMarker('cuts', cuts[0]!, -60);
      const dragged = await ui.times('cuts');
      expect(dragged[0]).toBeLessThan(cuts[0]! - 0.5);
      expect(await ui.kinds('cuts')).toEqual(['edit', 'edit']);
      expect(pageErrors).toEqual([]);
    }, 400_000);

    it('takes a Final Cut project dropped on the start screen and lists its offline media', async () => {
      await page.getByRole('button', { name: '← Projects' }).click();
      await page.getByRole('heading', { name: 'V2M Studio' }).waitFor();
      await page.getByLabel('New project').fill('Dropped FCPXML');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'Dropped FCPXML' }).waitFor();
      const file = path.join(sharedData, 'timelines/fcpx_project.fcpxml');
      await page.evaluate((f) => {
        const dt = new DataTransfer();
        dt.setData('text/uri-list', `file://${encodeURI(f)}`);
        document.querySelector('[data-testid="dropzone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, file);
      const summary = ui.timelineImport.getByTestId('timeline-summary');
      await summary.waitFor({ timeout: 15_000 });
      expect(((await summary.textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(/FCPXML · 30\/1 fps · 150\.00 s · 6 clips · 6 edit points · 8 markers/);
      // Compound clips have no file of their own; the four camera files do, and none is here.
      await expect(ui.timelineImport.getByTestId('missing-media').getByRole('listitem').count()).resolves.toBe(4);
      await ui.screenshot(shot('timeline-dropped-fcpxml.png'));
      expect(pageErrors).toEqual([]);
    });

    it('takes a movie rendered from the timeline instead of its sources, refusing one that does not match', async () => {
      // Still on the start screen after the drop above.
      await page.getByLabel('New project').fill('From a reference movie');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'From a reference movie' }).waitFor();
      await ui.importByKeyboard(premiereXml);
      const field = ui.timelineImport.getByLabel('Or use a movie rendered from this timeline');
      // A movie of another length is refused with the reason.
      await field.fill(path.join(tmp, 'footage', 'sc01_sh010_anim.mov'));
      await field.press('Enter');
      await page.getByRole('alert').getByText(/lasts 4\.000 s but the timeline "sc01_sh010_layerA" lasts 41\.933 s/).waitFor({ timeout: 15_000 });
      // The picture built in the first test is exactly this timeline's length and rate.
      const conforms = path.join(tmp, 'data', 'conforms');
      const movie = readdirSync(conforms).map((d) => path.join(conforms, d, 'sc01_sh010_layerA.mp4'))[0]!;
      await field.fill(movie);
      await field.press('Enter');
      await ui.waitForEditor(120_000);
      expect(await ui.kinds('cuts')).toEqual(['edit', 'edit']);
      expect(pageErrors).toEqual([]);
    }, 180_000);
  });
}
