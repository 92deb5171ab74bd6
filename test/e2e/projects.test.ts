import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshotDir, skipReason } from './browser.ts';
import { openE2eSession, type E2eSession } from './e2e-session.ts';
import type { EditorPage } from './pages/editor-page.ts';

const shot = (name: string): string => path.join(screenshotDir, name);

if (!hasChromium) {
  console.warn(skipReason);
  describe('projects end to end', () => it.skip(skipReason, () => undefined));
} else {
  describe('projects on the start screen (Chromium against the browser bridge)', () => {
    let session: E2eSession;
    let page: Page;
    let ui: EditorPage;

    beforeAll(async () => {
      session = await openE2eSession({ prefix: 'v2m-e2e-projects-', consoleErrors: false });
      ({ page, ui } = session);
    });
    afterAll(async () => {
      await session?.close();
    });

    const recentNames = async (): Promise<string[]> => page.getByTestId('recent-projects').locator('.item .name').allTextContents().catch(() => []);

    it('a failed import leaves no project; create, rename and cancel a delete with the keyboard only', async () => {
      await page.goto(session.bridge.server.url);
      const notVideo = path.join(session.dir, 'holiday.mp4');
      writeFileSync(notVideo, 'not a video at all');
      await ui.importByKeyboard(notVideo);
      await page.getByRole('alert').first().waitFor();
      expect(await page.getByTestId('recent-projects').count()).toBe(0);
      await ui.screenshot(shot('projects-failed-import.png'));

      await page.getByLabel('New project').focus();
      await page.keyboard.type('Alpha');
      await page.keyboard.press('Enter');
      await page.getByTestId('recent-projects').getByText('Alpha').waitFor();

      await page.getByRole('button', { name: 'Rename Alpha' }).focus();
      await page.keyboard.press('Enter');
      const field = page.getByLabel('New name for Alpha');
      await expect(field.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await page.keyboard.type('  Alpha final cut ');
      await page.keyboard.press('Enter');
      await page.getByTestId('recent-projects').getByText('Alpha final cut').waitFor();
      expect(await recentNames()).toEqual(['Alpha final cut']);
      await expect(page.locator('#project-heading').textContent()).resolves.toBe('Alpha final cut');

      await page.getByRole('button', { name: 'Delete Alpha final cut…' }).focus();
      await page.keyboard.press('Enter');
      const confirm = page.getByTestId('delete-confirm');
      await confirm.waitFor();
      // Focus lands on Cancel, so Enter by habit does not delete.
      await expect(confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(await recentNames()).toEqual(['Alpha final cut']);
    });

    it('deletes a project with the mouse only, after a confirmation that says what goes and what stays', async () => {
      await page.getByRole('button', { name: 'Delete Alpha final cut…' }).click();
      const confirm = page.getByTestId('delete-confirm');
      await confirm.waitFor();
      const text = ((await confirm.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(text).toMatch(/Delete “Alpha final cut”\?/);
      expect(text).toMatch(/This removes 0 clips, 0 generations, 0 export records and the rhythm plans with their undo history; no files are removed\. It cannot be undone\./);
      expect(text).toMatch(/Kept on disk: 0 files \(your source media and every export\)\./);
      await ui.screenshot(shot('projects-delete-confirm.png'));
      await confirm.getByRole('button', { name: 'Delete project' }).click();
      await page.getByText('No projects yet.').waitFor();
      await expect(page.locator('#project-heading').textContent()).resolves.toBe('No project open');
      expect((await session.bridge.engine.listRecentProjects({})).length).toBe(0);
    });
  });
}
