import type { Locator, Page } from 'playwright-core';

/** The start screen and the editor as a user sees them; tests speak in these terms only. */
export class EditorPage {
  constructor(readonly page: Page) {}

  get editor(): Locator {
    return this.page.getByTestId('editor');
  }

  async importByPath(path: string): Promise<void> {
    await this.page.getByLabel('Video or timeline file path').fill(path);
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
  }

  /** Keyboard only: types a timeline (or video) path into the import field and presses Enter. */
  async importByKeyboard(path: string): Promise<void> {
    await this.page.getByLabel('Video or timeline file path').focus();
    await this.page.keyboard.press('Control+a');
    await this.page.keyboard.type(path);
    await this.page.keyboard.press('Enter');
  }

  get timelineImport(): Locator {
    return this.page.getByTestId('timeline-import');
  }

  /** Relinks an opened timeline's offline media by searching a folder (keyboard only). */
  async relinkTo(folder: string): Promise<void> {
    await this.timelineImport.getByLabel('Search a folder for them (by file name)').focus();
    await this.page.keyboard.type(folder);
    await this.page.keyboard.press('Enter');
  }

  async kinds(track: 'cuts' | 'accents'): Promise<string[]> {
    const attr = await this.page.getByTestId(`track-${track}`).getAttribute('data-kinds');
    return (attr ?? '').split(' ').filter(Boolean);
  }

  async waitForEditor(timeoutMs = 90_000): Promise<void> {
    await this.editor.waitFor({ state: 'visible', timeout: timeoutMs });
    // Filmstrip, waveform and plan have all arrived.
    await this.page.waitForFunction(() => document.querySelector('[data-testid="editor"]')?.getAttribute('data-ready') === 'true', null, { timeout: timeoutMs });
    await this.page.waitForFunction(() => !document.querySelector('[data-testid="save-status"]')?.textContent?.includes('Saving'));
  }

  async times(track: 'cuts' | 'accents'): Promise<number[]> {
    const attr = await this.page.getByTestId(`track-${track}`).getAttribute('data-times');
    return (attr ?? '').split(' ').filter(Boolean).map(Number);
  }

  async viewport(): Promise<{ startSec: number; pxPerSec: number }> {
    const s = this.page.getByTestId('timeline-scroller');
    return { startSec: Number(await s.getAttribute('data-start-sec')), pxPerSec: Number(await s.getAttribute('data-px-per-sec')) };
  }

  /** Page coordinates of time `t` on a track (vertically centred). */
  async pointAt(track: string, t: number): Promise<{ x: number; y: number }> {
    const box = (await this.page.getByTestId(`track-${track}`).boundingBox())!;
    const vp = await this.viewport();
    return { x: box.x + (t - vp.startSec) * vp.pxPerSec, y: box.y + box.height / 2 };
  }

  /** Presses on a marker and drags it sideways by `dx` pixels in small steps, then releases. */
  async dragMarker(track: 'cuts' | 'accents', t: number, dx: number): Promise<void> {
    const p = await this.pointAt(track, t);
    await this.saves(async () => {
      await this.page.mouse.move(p.x, p.y);
      await this.page.mouse.down();
      await this.page.mouse.move(p.x + dx, p.y, { steps: 12 });
      await this.page.mouse.up();
    });
  }

  /** Runs a user action that stores an edit, and waits until the engine's answer is on screen. */
  async saves(action: () => Promise<void>): Promise<void> {
    const before = await this.page.getByTestId('save-status').textContent();
    await action();
    await this.page.waitForFunction((b) => {
      const s = document.querySelector('[data-testid="save-status"]')?.textContent ?? '';
      return s !== b && s.includes('saved');
    }, before);
  }

  /** Waits until no save is in flight (after an action that may or may not have stored an edit). */
  async waitSaved(): Promise<void> {
    await this.page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="save-status"]')?.textContent ?? '';
      return s.includes('saved') && !s.includes('Saving');
    });
  }

  async editCount(): Promise<number> {
    const text = (await this.page.getByTestId('save-status').textContent()) ?? '';
    return Number(/(\d+) edit/.exec(text)?.[1] ?? NaN);
  }

  async timecode(): Promise<string> {
    return ((await this.page.getByTestId('toolbar-timecode').textContent()) ?? '').trim();
  }

  /** Focuses the timeline area without triggering any edit, so the editor's keys apply. */
  async focusEditor(): Promise<void> {
    await this.page.getByRole('button', { name: 'Fit' }).focus();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: false });
  }
}
