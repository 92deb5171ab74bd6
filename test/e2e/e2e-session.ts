import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openBridge, type RunningBridge } from '../../electron/server/run-bridge.ts';
import { launchChromium, type Browser } from './browser.ts';
import { EditorPage } from './pages/editor-page.ts';
import { ensureRendererBuilt, rendererDist } from './renderer-build.ts';

/** One e2e suite's world: a temp folder, the browser bridge on the built renderer, a Chromium page. */
export interface E2eSession {
  /** The suite's temp folder (removed by close). */
  dir: string;
  bridge: RunningBridge;
  browser: Browser;
  page: Page;
  ui: EditorPage;
  /** Page errors (and, unless turned off, console errors and warnings) seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface E2eSessionOptions {
  /** Temp folder name prefix. */
  prefix: string;
  /** The bridge's data folder inside the temp folder (default: the temp folder itself). */
  dataSubdir?: string;
  /** Collect console errors and warnings as page errors (default true). */
  consoleErrors?: boolean;
  /** A script run in the page before its own (e.g. the audition probe). */
  initScript?: string;
  /** Prepares the temp folder before the bridge opens (e.g. footage to relink). */
  prepare?: (dir: string) => Promise<void> | void;
}

export async function openE2eSession(o: E2eSessionOptions): Promise<E2eSession> {
  await ensureRendererBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), o.prefix));
  await o.prepare?.(dir);
  const bridge = await openBridge({ dataDir: o.dataSubdir ? path.join(dir, o.dataSubdir) : dir, rendererDir: rendererDist });
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  if (o.initScript) await page.addInitScript(o.initScript);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (o.consoleErrors !== false) {
    page.on('console', (m) => {
      // An API refusal arrives as an HTTP error status that the UI shows in place; anything else logged is a bug.
      if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console ${m.type()}: ${m.text()}`);
    });
  }
  return {
    dir, bridge, browser, page, ui: new EditorPage(page), pageErrors,
    async close() {
      await browser.close();
      await bridge.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
