import type { WebContents } from 'electron';
import { isAppUrl } from './content-security.ts';

/** The calls the guard makes on a web contents (a fake in tests). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Keeps a web contents on the app's own pages: navigation and redirects elsewhere, new windows
 * and embedded webviews are all refused. Links to the web are not opened either; the renderer
 * shows such URLs as text for the user to copy.
 */
export function lockDownContents(contents: GuardedContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
