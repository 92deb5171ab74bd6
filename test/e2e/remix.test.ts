import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testVideo } from '../helpers/paths.ts';
import { hasChromium, screenshotDir, skipReason } from './browser.ts';
import { EditorPage } from './pages/editor-page.ts';
import { openE2eSession, type E2eSession } from './e2e-session.ts';

const shot = (name: string): string => path.join(screenshotDir, name);
const waltz = path.join(sharedData, 'music', '147793__setuniman__sweet-waltz-0i-22mi.ogg');

if (!hasChromium) {
  console.warn(skipReason);
  describe('"Your music" end to end', () => it.skip(skipReason, () => undefined));
} else {
  describe('"Your music" end to end (Chromium against the browser bridge)', () => {
    let session: E2eSession;
    let bridge: E2eSession['bridge'];
    let page: Page;
    let ui: EditorPage;
    let pageErrors: string[] = [];

    beforeAll(async () => {
      session = await openE2eSession({ prefix: 'v2m-e2e-remix-' });
      ({ bridge, page, ui, pageErrors } = session);
    });

    afterAll(async () => {
      await session?.close();
    });

    it('picks a track by path, shows its waveform, beats and bars, and remixes it onto the clip through the generate job', async () => {
      await page.goto(bridge.server.url);
      await ui.importByPath(testVideo);
      await ui.waitForEditor();
      const panel = page.getByTestId('generate-panel');
      await panel.getByLabel(/Your music/).check();
      const section = page.getByTestId('your-music');
      await section.waitFor();
      // Generating before a track is read says what to do.
      await page.getByTestId('generate').click();
      await expect(page.getByTestId('generate-error').textContent()).resolves.toMatch(/Load your music first/);

      // A file that is not music: the remix's own message, in place.
      await section.getByLabel('Music file').fill(path.join(session.dir, 'no-such-track.wav'));
      await page.getByTestId('load-music').click();
      await page.getByTestId('music-error').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('music-error').textContent()).resolves.toMatch(/Cannot use .*no-such-track\.wav as the music/);

      await section.getByLabel('Music file').fill(waltz);
      await page.getByTestId('load-music').click();
      await page.getByTestId('music-track').waitFor({ timeout: 60_000 });
      const bars = await page.getByTestId('music-bar').count();
      const beats = await page.getByTestId('music-beat').count();
      expect(bars).toBeGreaterThanOrEqual(4);
      // The waltz is in three: three beats a bar.
      expect(beats).toBeGreaterThanOrEqual(3 * bars);
      const caption = (await page.getByTestId('music-track').textContent())!.replace(/\s+/g, ' ');
      expect(caption).toMatch(/sweet-waltz.* \d+ BPM · 3\/4 · \d+ bars/);
      await panel.screenshot({ path: shot('remix-your-music.png') });

      await page.getByTestId('generate').click();
      const gens = page.getByTestId('generations');
      const error = page.getByTestId('generate-error');
      await Promise.race([error.waitFor({ timeout: 180_000 }), gens.waitFor({ timeout: 180_000 })]);
      if (await error.isVisible()) throw new Error(`Remix failed in the UI: ${await error.textContent()}`);
      // Its label names the track and the tempo it was played at.
      await expect(gens.getByRole('button').first().textContent()).resolves.toMatch(/^#1 · Remix · .*sweet-waltz.* · \d+ BPM · seed \d+$/);
      await expect(gens.textContent()).resolves.toMatch(/% hit/);
      await page.screenshot({ path: shot('remix-after-generation.png') });
      expect(pageErrors).toEqual([]);
    }, 300_000);
  });
}
