import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutsClip } from '../helpers/clips.ts';
import { TINY_PACK } from '../unit/models/goldens.ts';
import { hasChromium, screenshotDir, skipReason } from './browser.ts';
import { openE2eSession, type E2eSession } from './e2e-session.ts';

const NEURAL = 'neural:diffv2m-tiny';

/** Waits until the timeline's ODF says it came from `key`'s planner and nothing is saving. */
async function plannedBy(page: Page, key: string): Promise<void> {
  await page.waitForFunction((k) => document.querySelector('[data-testid="track-odf"]')?.getAttribute('data-planner') === k
    && document.querySelector('[data-testid="planner-choice"]')?.getAttribute('data-current') === k
    && !document.querySelector('[data-testid="save-status"]')?.textContent?.includes('Saving'), key, { timeout: 60_000 });
}

const odfValues = async (page: Page): Promise<string> => (await page.getByTestId('track-odf').getAttribute('data-values')) ?? '';

if (!hasChromium) {
  console.warn(skipReason);
  describe('planner choice end to end', () => it.skip(skipReason, () => undefined));
} else {
  describe('planner choice end to end (Chromium against the browser bridge)', () => {
    let session: E2eSession;
    let page: Page;
    const saved = { bundled: process.env.V2M_BUNDLED_MODELS, user: process.env.V2M_MODELS_DIR };
    let clip = '';

    beforeAll(async () => {
      clip = await cutsClip('planner-e2e-5s.mp4', { cutTimes: [1.5, 3.2], durationSec: 5, audio: true });
      // Only the tiny random-weight pack is installed: the bridge runs in this process and reads these.
      session = await openE2eSession({
        prefix: 'v2m-e2e-planner-',
        prepare: (dir) => {
          mkdirSync(path.join(dir, 'bundled'));
          cpSync(TINY_PACK, path.join(dir, 'bundled', 'diffv2m-tiny'), { recursive: true });
          process.env.V2M_BUNDLED_MODELS = path.join(dir, 'bundled');
          process.env.V2M_MODELS_DIR = path.join(dir, 'models');
        },
      });
      page = session.page;
    }, 180_000);

    afterAll(async () => {
      await session?.close();
      for (const [k, v] of [['V2M_BUNDLED_MODELS', saved.bundled], ['V2M_MODELS_DIR', saved.user]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it('shows the built-in planner, and switches to the rhythm predictor and back with the keyboard only', async () => {
      await page.goto(session.bridge.server.url);
      await session.ui.importByPath(clip);
      await session.ui.waitForEditor();
      await plannedBy(page, 'heuristic');
      await expect(page.getByTestId('odf-planner').textContent()).resolves.toBe('by the built-in planner');
      const neural = page.getByTestId(`planner-${NEURAL}`);
      await expect(neural.isEnabled()).resolves.toBe(true);
      await expect(page.getByTestId('planner-choice').textContent()).resolves.toMatch(/Rhythm predictor \(diffv2m-tiny, test pack, random weights\)/);
      const heuristicOdf = await odfValues(page);

      await page.getByTestId('planner-heuristic').focus();
      await page.keyboard.press('ArrowDown');
      await plannedBy(page, NEURAL);
      await expect(page.getByTestId('odf-planner').textContent()).resolves.toBe('by the rhythm predictor (diffv2m-tiny, test pack)');
      await expect(page.getByTestId('odf-planner').getAttribute('title')).resolves.toBe('ODF made by the rhythm predictor (diffv2m-tiny, test pack, random weights)');
      // "auto" here has no CUDA: the CPU ran it and the panel says why.
      await expect(page.getByTestId('planner-current').textContent()).resolves.toMatch(/made by the rhythm predictor \(diffv2m-tiny/);
      await expect(page.getByTestId('planner-device').textContent()).resolves.toMatch(/^Ran on the (CPU: \S|GPU \(CUDA\)\.)/);
      const neuralOdf = await odfValues(page);
      expect(neuralOdf).not.toBe(heuristicOdf);
      expect(await session.ui.editCount()).toBe(1);
      await expect(page.getByTestId('announcement').textContent()).resolves.toMatch(/ODF now from the rhythm predictor/);
      await session.ui.screenshot(path.join(screenshotDir, 'planner-neural.png'));

      // One undo step brings the built-in planner's curve and label back; redo the switch again.
      await page.keyboard.press('Control+z');
      await plannedBy(page, 'heuristic');
      expect(await odfValues(page)).toBe(heuristicOdf);
      await page.keyboard.press('Shift+Control+z');
      await plannedBy(page, NEURAL);
      expect(await odfValues(page)).toBe(neuralOdf);

      await page.keyboard.press('ArrowUp');
      await plannedBy(page, 'heuristic');
      expect(await odfValues(page)).toBe(heuristicOdf);
      expect(session.pageErrors).toEqual([]);
    }, 180_000);

    it('switches with the mouse only, and reopening shows the same planner', async () => {
      await page.getByText('Rhythm predictor (diffv2m-tiny, test pack, random weights)').click();
      await plannedBy(page, NEURAL);
      const neuralOdf = await odfValues(page);

      await page.reload();
      await session.ui.waitForEditor();
      await plannedBy(page, NEURAL);
      expect(await odfValues(page)).toBe(neuralOdf);
      await expect(page.getByTestId('odf-planner').textContent()).resolves.toMatch(/rhythm predictor \(diffv2m-tiny/);

      await page.getByText('Built-in planner', { exact: true }).click();
      await plannedBy(page, 'heuristic');
      await expect(page.getByTestId('odf-planner').textContent()).resolves.toBe('by the built-in planner');
      expect(session.pageErrors).toEqual([]);
    }, 180_000);

    it('without a pack that has a rhythm predictor, offers it disabled and says why', async () => {
      const empty = path.join(session.dir, 'no-packs');
      mkdirSync(empty);
      process.env.V2M_BUNDLED_MODELS = empty;
      try {
        await page.reload();
        await session.ui.waitForEditor();
        const neural = page.getByTestId('planner-neural:');
        await neural.waitFor();
        await expect(neural.isDisabled()).resolves.toBe(true);
        await expect(page.getByTestId('planner-reason').textContent()).resolves.toMatch(/No model pack with a rhythm predictor is installed: install a Diff-V2M model pack/);
        await expect(neural.getAttribute('aria-describedby')).resolves.toBe('why-neural:');
        await session.ui.screenshot(path.join(screenshotDir, 'planner-unavailable.png'));
        expect(session.pageErrors).toEqual([]);
      } finally {
        process.env.V2M_BUNDLED_MODELS = path.join(session.dir, 'bundled');
      }
    }, 120_000);
  });
}
