import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../electron/core/media/index.ts';
import { makeClip } from '../helpers/clips.ts';
import { testVideo } from '../helpers/paths.ts';
import { auditionProbeScript, measureOffsets, summarise } from './audition-probe.ts';
import { hasChromium, screenshotDir, skipReason } from './browser.ts';
import { EditorPage } from './pages/editor-page.ts';
import { openE2eSession, type E2eSession } from './e2e-session.ts';

const shot = (name: string): string => path.join(screenshotDir, name);

/** Counts animation frames in the page while `during` runs (or for `ms`), with the longest frame gap. */
async function measureFps(page: Page, ms: number, during: (() => Promise<void>) | null, inPage?: string): Promise<{ fps: number; worstMs: number }> {
  await page.evaluate(({ ms, inPage }) => {
    const w = window as unknown as { __fps: Promise<{ fps: number; worstMs: number }> };
    w.__fps = new Promise((resolve) => {
      const sc = document.querySelector<HTMLElement>('[data-testid="timeline-scroller"]')!;
      let frames = 0;
      let worst = 0;
      let last = 0;
      const t0 = performance.now();
      const step = (now: number): void => {
        if (last) worst = Math.max(worst, now - last);
        last = now;
        frames++;
        if (inPage === 'scroll') sc.scrollLeft += 37;
        if (now - t0 < ms) requestAnimationFrame(step);
        else resolve({ fps: (frames - 1) / ((now - t0) / 1000), worstMs: worst });
      };
      requestAnimationFrame(step);
    });
  }, { ms, inPage });
  if (during) await during();
  return page.evaluate(() => (window as unknown as { __fps: Promise<{ fps: number; worstMs: number }> }).__fps);
}

if (!hasChromium) {
  console.warn(skipReason);
  describe('editor end to end', () => it.skip(skipReason, () => undefined));
} else {
  describe('editor end to end (Chromium against the browser bridge)', () => {
    let session: E2eSession;
    let bridge: E2eSession['bridge'];
    let page: Page;
    let ui: EditorPage;
    let pageErrors: string[] = [];

    beforeAll(async () => {
      session = await openE2eSession({ prefix: 'v2m-e2e-', initScript: auditionProbeScript });
      ({ bridge, page, ui, pageErrors } = session);
    });

    afterAll(async () => {
      await session?.close();
    });

    it('imports a clip by path, shows its cuts, and keeps edits through undo, redo and a reload', async () => {
      await page.goto(bridge.server.url);
      await expect(page.getByRole('heading', { name: 'V2M Studio' }).isVisible()).resolves.toBe(true);
      await ui.importByPath(testVideo);
      await page.getByTestId('analysis-progress').waitFor({ timeout: 10_000 });
      await ui.screenshot(shot('start-analysing.png'));
      await ui.waitForEditor();

      const cuts = await ui.times('cuts');
      expect(cuts).toHaveLength(3);
      [1.001, 6.006, 13.146].forEach((t, i) => expect(cuts[i]).toBeCloseTo(t, 3));
      expect((await ui.times('accents')).length).toBeGreaterThan(0);
      await ui.screenshot(shot('editor-imported.png'));

      // Drag the middle cut right; it lands on a frame (or a snap target) well past where it was.
      await ui.dragMarker('cuts', cuts[1]!, 70);
      const moved = await ui.times('cuts');
      expect(moved).toHaveLength(3);
      expect(moved[1]).toBeGreaterThan(6.5);
      expect(await ui.editCount()).toBe(1);

      await page.keyboard.press('Control+z');
      await page.waitForFunction((t) => document.querySelector('[data-testid="track-cuts"]')!.getAttribute('data-times')!.split(' ').map(Number)[1] === t, cuts[1]);
      expect(await ui.times('cuts')).toEqual(cuts);
      await page.keyboard.press('Shift+Control+z');
      await page.waitForFunction((t) => document.querySelector('[data-testid="track-cuts"]')!.getAttribute('data-times')!.split(' ').map(Number)[1] === t, moved[1]);

      // Double-click adds a cut; Delete removes the selected one again.
      const at = await ui.pointAt('cuts', 10);
      await ui.saves(() => page.mouse.dblclick(at.x, at.y));
      const added = await ui.times('cuts');
      expect(added).toHaveLength(4);
      expect(added[2]).toBeCloseTo(10, 0);
      await ui.saves(() => page.keyboard.press('Delete'));
      expect(await ui.times('cuts')).toEqual(moved);

      // Draw the ODF up across seconds 2–5.
      const odfBefore = ((await page.getByTestId('track-odf').getAttribute('data-values')) ?? '').split(' ').map(Number);
      const a = await ui.pointAt('odf', 2.5);
      const b = await ui.pointAt('odf', 5.5);
      const box = (await page.getByTestId('track-odf').boundingBox())!;
      await ui.saves(async () => {
        await page.mouse.move(a.x, box.y + 4);
        await page.mouse.down();
        await page.mouse.move(b.x, box.y + 4, { steps: 10 });
        await page.mouse.up();
      });
      const odfAfter = ((await page.getByTestId('track-odf').getAttribute('data-values')) ?? '').split(' ').map(Number);
      for (let s = 2; s <= 5; s++) expect(odfAfter[s]).toBeGreaterThan(0.9);
      expect(odfAfter.slice(6)).toEqual(odfBefore.slice(6));
      await page.keyboard.press('Control+z');
      await page.waitForFunction((v) => document.querySelector('[data-testid="track-odf"]')!.getAttribute('data-values') === v, odfBefore.join(' '));

      await page.reload();
      await ui.waitForEditor();
      expect(await ui.times('cuts')).toEqual(moved);

      // Keyboard only: ↓ goes to the next cut after the playhead (←/→ stay the frame step), Alt+→ nudges it a frame, undo.
      await page.getByTestId('track-cuts').focus();
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('announcement').textContent()).resolves.toMatch(/Cut 1 of 3 at 1\.001 s/);
      await ui.saves(() => page.keyboard.press('Alt+ArrowRight'));
      expect((await ui.times('cuts'))[0]).toBeCloseTo(1.001 + 1001 / 30000, 4);
      await page.keyboard.press('Control+z');
      await page.waitForFunction((t) => document.querySelector('[data-testid="track-cuts"]')!.getAttribute('data-times') === t, moved.join(' '));

      // ODF from the keyboard: select the bar under the playhead, nudge it, undo.
      await page.getByTestId('track-odf').focus();
      await page.keyboard.press('Alt+ArrowRight');
      const said = /Second (\d+): strength ([\d.]+)/.exec((await page.getByTestId('announcement').textContent()) ?? '');
      expect(said).not.toBeNull();
      const bar = Number(said![1]);
      const odf0 = ((await page.getByTestId('track-odf').getAttribute('data-values')) ?? '').split(' ').map(Number);
      const up = odf0[bar]! < 0.5;
      await ui.saves(() => page.keyboard.press(up ? 'ArrowUp' : 'ArrowDown'));
      const odf1 = ((await page.getByTestId('track-odf').getAttribute('data-values')) ?? '').split(' ').map(Number);
      expect(odf1[bar]).toBeCloseTo(odf0[bar]! + (up ? 0.05 : -0.05), 2);
      expect(odf1.filter((v, i) => v !== odf0[i])).toHaveLength(1);
      await page.keyboard.press('Control+z');
      await page.waitForFunction((v) => document.querySelector('[data-testid="track-odf"]')!.getAttribute('data-values') === v, odf0.join(' '));

      // Shift-click two accents and delete both; undo brings them back.
      const accents = await ui.times('accents');
      const a1 = await ui.pointAt('accents', accents[0]!);
      const a2 = await ui.pointAt('accents', accents[1]!);
      await page.mouse.click(a1.x, a1.y);
      await page.keyboard.down('Shift');
      await page.mouse.click(a2.x, a2.y);
      await page.keyboard.up('Shift');
      await ui.saves(() => page.keyboard.press('Delete'));
      await page.waitForFunction(() => !document.querySelector('[data-testid="save-status"]')!.textContent!.includes('Saving'));
      expect(await ui.times('accents')).toEqual(accents.slice(2));
      await page.keyboard.press('Control+z');
      await page.keyboard.press('Control+z');
      await page.waitForFunction((t) => document.querySelector('[data-testid="track-accents"]')!.getAttribute('data-times') === t, accents.join(' '));

      // Lock the tempo (a stored edit), then unlock it.
      const lock = page.getByTestId('tempo-lock');
      await page.getByLabel('Tempo', { exact: true }).fill('96');
      await ui.saves(() => lock.check());
      await expect(page.getByLabel('Tempo', { exact: true }).isDisabled()).resolves.toBe(true);
      await ui.saves(() => lock.uncheck());
      await expect(page.getByLabel('Tempo', { exact: true }).isDisabled()).resolves.toBe(false);

      // Clicking the ruler seeks the video there.
      const r = await ui.pointAt('ruler', 3);
      await page.mouse.click(r.x, r.y);
      await page.waitForFunction(() => Math.abs((document.querySelector('video') as HTMLVideoElement).currentTime - 3) < 0.1);
      await page.waitForTimeout(400);
      await ui.screenshot(shot('editor-after-edits.png'));

      // Reset (confirmed) returns to the predicted plan.
      await page.getByTestId('reset').click();
      await ui.saves(() => page.getByTestId('reset-confirm').getByRole('button', { name: 'Reset plan' }).click());
      expect(await ui.times('cuts')).toEqual(cuts);
      expect(pageErrors).toEqual([]);
    });

    it('plays, pauses and steps frames from the keyboard', async () => {
      await ui.focusEditor();
      await page.keyboard.press('Home');
      const start = await ui.timecode();
      // The clip runs at 29.97, so the transport shows drop-frame HH:MM:SS;FF.
      expect(start).toBe('00:00:00;00');
      const tcIs = (want: string) =>
        page.waitForFunction((w) => document.querySelector('[data-testid="toolbar-timecode"]')!.textContent!.trim() === w, want);
      await page.keyboard.press('.');
      await tcIs('00:00:00;01');
      await page.keyboard.press(',');
      await tcIs('00:00:00;00');
      // Ten presses are ten frames, not one step and then a stuck playhead.
      for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
      await tcIs('00:00:00;10');
      for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
      await tcIs('00:00:00;00');

      await page.keyboard.press('l');
      await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 0.8, null, { timeout: 10_000 });
      // J plays backwards (the picture steps back in time), K stops.
      await page.keyboard.press('j');
      const from = await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).currentTime);
      await page.waitForFunction((t) => (document.querySelector('video') as HTMLVideoElement).currentTime < t - 0.3, from, { timeout: 10_000 });
      await page.keyboard.press('k');
      const paused = await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).paused);
      expect(paused).toBe(true);
      const tc = await ui.timecode();
      expect(tc).not.toBe('00:00:00');
      // The playhead follows the video.
      const t = await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).currentTime);
      const [hh, mm, ss, ff] = tc.split(/[:;]/).map(Number) as [number, number, number, number];
      // Under a minute no frame numbers are dropped, so the digits count frames directly.
      expect(hh).toBe(0);
      expect(Math.abs((mm * 60 + ss) * 30 + ff - Math.floor(t * 29.97))).toBeLessThanOrEqual(2);
    });

    it('generates music with the built-in composer, auditions it with the video, and exports a scored MP4', async () => {
      const panel = page.getByTestId('generate-panel');
      const error = page.getByTestId('generate-error');
      const gens = page.getByTestId('generations');
      // The built-in composer needs no model pack: it must generate.
      await panel.getByLabel('Seed').fill('7');
      await page.getByTestId('generate').click();
      await Promise.race([error.waitFor({ timeout: 180_000 }), gens.waitFor({ timeout: 180_000 })]);
      if (await error.isVisible()) throw new Error(`Generation failed in the UI: ${await error.textContent()}`);
      await expect(error.isVisible()).resolves.toBe(false);

      // Audition: the music's waveform fills its track and plays along with the video.
      await gens.getByRole('button').first().click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="note-music"]'), null, { timeout: 30_000 });
      await ui.focusEditor();
      await page.keyboard.press('Home');
      await page.getByTestId('play').click();
      await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 0.3, null, { timeout: 10_000 });
      // The music plays with the picture: every frame shown hears it, within a frame.
      const measured = await measureOffsets(page, 20);
      const heard = summarise(measured.samples);
      await page.getByTestId('play').click();
      // Only a stall of the video (the music waits for the picture) may leave frames silent, a few at most.
      expect(heard.gaps).toBe(0);
      expect(heard.silent).toBeLessThanOrEqual(3 * measured.stalls);
      expect(Math.abs(heard.median)).toBeLessThan(1001 / 30);
      expect(await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).paused)).toBe(true);
      await page.mouse.click(...Object.values(await ui.pointAt('ruler', 3)) as [number, number]);
      await page.waitForTimeout(400);
      await ui.screenshot(shot('editor-after-generation.png'));

      // Export the scored MP4; until the engine can export, its reason shows in the dialog.
      const outDir = mkdtempSync(path.join(os.tmpdir(), 'v2m-e2e-export-'));
      try {
        await page.getByTestId('open-export').click();
        const dialog = page.getByTestId('export-dialog');
        for (const label of ['Music (WAV)', 'Accent markers (CSV)']) await dialog.getByLabel(label).uncheck();
        await dialog.getByLabel('Destination folder').fill(outDir);
        await dialog.getByRole('button', { name: 'Export', exact: true }).click();
        const refused = dialog.getByRole('alert');
        const saved = dialog.getByText('Saved to');
        await Promise.race([refused.first().waitFor({ timeout: 120_000 }), saved.waitFor({ timeout: 120_000 })]);
        if (await refused.first().isVisible()) throw new Error(`Export failed in the UI: ${await refused.first().textContent()}`);
        const info = await probe(path.join(outDir, 'testvideo-scored.mp4'));
        expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
        expect(info.audio).toMatchObject({ codec: 'aac' });
        expect(info.durationSec).toBeCloseTo(24.02, 0);
        await ui.screenshot(shot('export-dialog.png'));
        await dialog.getByRole('button', { name: 'Close' }).click();
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    }, 240_000);

    it('stays smooth on a 10-minute clip while scrolling and dragging', async () => {
      const long = await makeClip('e2e-long-10min-5fps.mp4', [
        '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=5:duration=600',
        '-f', 'lavfi', '-i', 'sine=frequency=330:beep_factor=6:sample_rate=22050:duration=600',
        // A hue jump every 7 s gives the detector real cuts to show.
        '-vf', "hue=H='2*PI*floor(t/7)/5'",
        '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '10', '-c:a', 'aac', '-b:a', '48k', '-shortest',
      ]);
      // A new project, the clip dropped on the start screen as a file manager drops it (a file:// URI).
      await page.getByRole('button', { name: '← Projects' }).click();
      await page.getByTestId('recent-projects').getByText('testvideo').first().waitFor();
      await page.getByLabel('New project').fill('Ten minutes');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'Ten minutes' }).waitFor();
      await page.evaluate((file) => {
        const dt = new DataTransfer();
        dt.setData('text/uri-list', `file://${encodeURI(file)}`);
        const zone = document.querySelector('[data-testid="dropzone"]')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, long);
      // Cancel the analysis once it reports progress, then start it again and let it finish.
      const job = page.getByTestId('job-analyze');
      await page.waitForFunction(() => /[1-9]\d* %/.test(document.querySelector('[data-testid="job-analyze"]')?.textContent ?? ''), null, { timeout: 30_000 });
      await job.getByRole('button', { name: 'Cancel' }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid="job-analyze"]')?.getAttribute('data-state') === 'cancelled', null, { timeout: 5000 });
      await page.getByRole('button', { name: 'Analyse again' }).click();
      await ui.waitForEditor(150_000);
      expect((await ui.times('cuts')).length).toBeGreaterThan(50);
      await ui.focusEditor();
      for (let i = 0; i < 9; i++) await page.keyboard.press('+');
      const vp = await ui.viewport();
      expect(vp.pxPerSec).toBeGreaterThan(50);

      const scrollFps = await measureFps(page, 3000, null, 'scroll');
      const after = await ui.viewport();
      expect(after.startSec).toBeGreaterThan(vp.startSec + 30);

      // Drag an accent back and forth for ~3 s with real pointer input.
      const accents = await ui.times('accents');
      const visible = accents.find((t) => t > after.startSec + 3 && t < after.startSec + 8)!;
      const p = await ui.pointAt('accents', visible);
      const dragFps = await measureFps(page, 3000, async () => {
        await page.mouse.move(p.x, p.y);
        await page.mouse.down();
        const t0 = Date.now();
        for (let i = 0; Date.now() - t0 < 2900; i++) await page.mouse.move(p.x + 120 * Math.sin(i / 10), p.y);
        await page.mouse.up();
      });
      await ui.waitSaved();
      await ui.screenshot(shot('editor-10min.png'));

      // Ctrl+wheel zooms out around the pointer.
      const box = (await page.getByTestId('track-odf').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 10);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, 400);
      await page.keyboard.up('Control');
      await page.waitForFunction((before) => Number(document.querySelector('[data-testid="timeline-scroller"]')!.getAttribute('data-px-per-sec')) < before / 1.5, vp.pxPerSec);
      console.log(
        `[e2e fps] 10-minute clip at ${vp.pxPerSec.toFixed(1)} px/s, headless Chromium, software rendering (--disable-gpu): ` +
          `scroll ${scrollFps.fps.toFixed(1)} fps (longest frame ${scrollFps.worstMs.toFixed(0)} ms), ` +
          `drag ${dragFps.fps.toFixed(1)} fps (longest frame ${dragFps.worstMs.toFixed(0)} ms)`,
      );
      const min = Number(process.env.V2M_E2E_MIN_FPS ?? 50);
      expect(scrollFps.fps).toBeGreaterThanOrEqual(min);
      expect(dragFps.fps).toBeGreaterThanOrEqual(min);

      // Back on the start screen, a recent project reopens its clip (its analysis is cached).
      await page.getByRole('button', { name: '← Projects' }).click();
      await page.getByTestId('recent-projects').getByRole('button', { name: /^testvideo/ }).click();
      await page.getByTestId('project-clips').getByRole('button', { name: 'Open in editor' }).click();
      await ui.waitForEditor();
      expect(await page.getByRole('heading', { name: 'testvideo.mp4' }).isVisible()).toBe(true);
      expect(pageErrors).toEqual([]);
    }, 240_000);
  });
}
