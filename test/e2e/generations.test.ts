import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutsClip } from '../helpers/clips.ts';
import { hasChromium, screenshotDir, skipReason } from './browser.ts';
import { openE2eSession, type E2eSession } from './e2e-session.ts';
import type { EditorPage } from './pages/editor-page.ts';

const shot = (name: string): string => path.join(screenshotDir, name);

/** The generation rows' numbers and labels, top (newest) first. */
async function rows(page: Page): Promise<Array<{ ordinal: number; label: string; pressed: boolean }>> {
  return page.getByTestId('generation').evaluateAll((els) => els.map((li) => {
    const b = li.querySelector('button.pick')!;
    return { ordinal: Number(li.getAttribute('data-ordinal')), label: b.textContent!.trim(), pressed: b.getAttribute('aria-pressed') === 'true' };
  }));
}

if (!hasChromium) {
  console.warn(skipReason);
  describe('generations end to end', () => it.skip(skipReason, () => undefined));
} else {
  describe('generations you can tell apart, and a sync report that stays true (Chromium)', () => {
    let session: E2eSession;
    let page: Page;
    let ui: EditorPage;

    beforeAll(async () => {
      session = await openE2eSession({ prefix: 'v2m-e2e-gens-' });
      ({ page, ui } = session);
      const clip = await cutsClip('e2e-gens-cuts.mp4', { cutTimes: [2, 4], durationSec: 6, audio: true });
      await page.goto(session.bridge.server.url);
      await ui.importByPath(clip);
      await ui.waitForEditor();
    }, 120_000);

    afterAll(async () => {
      await session?.close();
    });

    /** Clicks Generate with a seed; Generate stays disabled until the job ends, then the new one is selected. */
    async function generate(seed: number, before: number): Promise<void> {
      await page.getByTestId('generate-panel').getByLabel('Seed').fill(String(seed));
      const button = page.getByTestId('generate');
      await button.click();
      await page.waitForFunction(() => (document.querySelector('[data-testid="generate"]') as HTMLButtonElement).disabled);
      await expect(button.textContent()).resolves.toBe('Generating…');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="generation"]').length === n, before + 1, { timeout: 120_000 });
      await page.waitForFunction(() => !(document.querySelector('[data-testid="generate"]') as HTMLButtonElement).disabled, null, { timeout: 10_000 });
      // Selected when it finishes: it is the one on the music track.
      await page.waitForFunction(() => document.querySelector('[data-testid="generation"] button.pick')?.getAttribute('aria-pressed') === 'true', null, { timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('[data-testid="note-music"]'), null, { timeout: 30_000 });
    }

    it('says the neural option has only a test pack, labels generations for good, selects a new one and folds finished jobs', async () => {
      // The tiny pack the tests build is bundled: Diff-V2M runs on it, but it makes noise.
      await expect(page.getByTestId('diff-note').textContent()).resolves.toMatch(/Only a test pack is installed \(diffv2m-tiny\): its weights are random, so Diff-V2M makes noise, not music/);
      await expect(page.getByTestId('model-status').getByTestId('test-pack').first().textContent()).resolves.toMatch(/random weights/);

      const panel = page.getByTestId('generate-panel');
      await panel.getByLabel('Style').selectOption('cinematic');
      await panel.getByLabel(/^Intensity/).fill('0.6');
      await panel.getByLabel('Seed').fill('1234');
      await page.getByTestId('generate').click();
      // While it runs: the progress block, and no second Generate.
      await page.getByTestId('job-generate').waitFor();
      await expect(page.getByTestId('generate').isDisabled()).resolves.toBe(true);
      await ui.screenshot(shot('generations-running.png'));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="generation"]').length === 1, null, { timeout: 120_000 });

      // The finished job is one line; the progress block is gone.
      await page.getByTestId('job-summary').first().waitFor();
      await expect(page.getByTestId('job-generate').count()).resolves.toBe(0);
      await expect(page.getByTestId('job-summary').first().textContent()).resolves.toMatch(/^Finished: #1 · Composer/);
      await page.waitForFunction(() => document.querySelector('[data-testid="generation"] button.pick')?.getAttribute('aria-pressed') === 'true', null, { timeout: 30_000 });
      const [first] = await rows(page);
      expect(first!.label).toMatch(/^#1 · Composer · cinematic · \d+(→\d+)* BPM · [A-G][#b]? \w+ · 60 % · seed 1234$/);
      expect(first!.pressed).toBe(true);

      await generate(1235, 1);
      let list = await rows(page);
      expect(list.map((r) => r.ordinal)).toEqual([2, 1]);
      expect(list[0]!.label).toMatch(/^#2 · .* · seed 1235$/);
      expect(list[0]!.pressed).toBe(true);
      expect(list[1]!.label).toBe(first!.label);

      // Deleting #1, then adding another: nobody is renumbered, and #1 is not handed out again.
      await page.getByRole('button', { name: 'Delete #1' }).click();
      await page.getByRole('group', { name: 'Confirm deleting #1' }).getByRole('button', { name: 'Delete' }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="generation"]').length === 1);
      await generate(1236, 1);
      list = await rows(page);
      expect(list.map((r) => r.ordinal)).toEqual([3, 2]);
      expect(list[1]!.label).toMatch(/^#2 · .* · seed 1235$/);
      await expect(page.getByTestId('job-summary').count()).resolves.toBe(3);
      await ui.screenshot(shot('generations-labelled.png'));
      expect(session.pageErrors).toEqual([]);
    }, 400_000);

    it('marks the sync report stale when an accent is added, with the reason, then measures it again by itself', async () => {
      const report = page.getByTestId('sync-report');
      await page.waitForFunction(() => document.querySelector('[data-testid="sync-report"]')?.getAttribute('data-stale') === 'false');
      await expect(report.getByTestId('sync-scores').textContent()).resolves.toMatch(/BCS\s*\d+\.\d\d\s*BHS\s*[01]\.\d\d/);
      await report.getByText(/Per-accent offsets/).click();
      const accentRows = () => report.getByTestId('sync-accents').locator('tbody tr').count();
      const before = await accentRows();
      expect(before).toBeGreaterThan(0);
      await expect(report.getByTestId('sync-accents').locator('tbody tr').first().textContent()).resolves.toMatch(/\d\.\d{3} s[+−]\d+\.\d ms(hit|missed)/);
      await expect(page.getByTestId('track-accents').getAttribute('data-sync-stale')).resolves.toBe('false');

      // A strong accent added by hand: the report no longer describes this plan.
      const at = await ui.pointAt('accents', 5.3);
      await ui.saves(() => page.mouse.dblclick(at.x, at.y));
      await page.getByTestId('sync-stale').waitFor({ timeout: 2000 });
      await expect(page.getByTestId('sync-stale-reason').textContent()).resolves.toBe('The plan changed after this was measured: 1 accent added.');
      await expect(page.getByTestId('track-accents').getAttribute('data-sync-stale')).resolves.toBe('true');
      await expect(page.getByTestId('generation').first().textContent()).resolves.toMatch(/out of date/);
      await ui.screenshot(shot('sync-stale.png'));

      // Re-measured on its own once the plan is still; the new accent is in the table and the misses on the timeline follow.
      await page.waitForFunction(() => document.querySelector('[data-testid="sync-report"]')?.getAttribute('data-stale') === 'false', null, { timeout: 60_000 });
      await expect(page.getByTestId('sync-stale').count()).resolves.toBe(0);
      await expect(accentRows()).resolves.toBe(before + 1);
      await expect(report.getByTestId('sync-accents').textContent()).resolves.toMatch(/5\.\d{3} s/);
      const missed = Number(/(\d+) missed/.exec((await report.getByTestId('sync-summary').textContent()) ?? '')?.[1] ?? 0);
      const drawn = ((await page.getByTestId('track-accents').getAttribute('data-missed')) ?? '').split(' ').filter(Boolean);
      expect(drawn).toHaveLength(missed);
      await expect(page.getByTestId('track-accents').getAttribute('data-sync-stale')).resolves.toBe('false');
      await ui.screenshot(shot('sync-remeasured.png'));

      // Undo makes it stale again (the report is about the plan with the accent); it converges again.
      await page.keyboard.press('Control+z');
      await page.getByTestId('sync-stale').waitFor({ timeout: 2000 });
      await expect(page.getByTestId('sync-stale-reason').textContent()).resolves.toBe('The plan changed after this was measured: 1 accent removed.');
      await page.waitForFunction(() => document.querySelector('[data-testid="sync-report"]')?.getAttribute('data-stale') === 'false', null, { timeout: 60_000 });
      await expect(accentRows()).resolves.toBe(before);
      expect(session.pageErrors).toEqual([]);
    }, 180_000);
  });
}
