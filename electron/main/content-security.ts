/** Schemes the shell registers: the renderer's own origin and the media it may play. */
export const APP_SCHEME = 'v2m-app';
export const MEDIA_SCHEME = 'v2m-media';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Nothing remote, no inline script, no eval: the renderer can only run the app's own files. */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  `media-src 'self' blob: ${MEDIA_SCHEME}:`,
  // The music track's waveform is computed from the generated file, fetched from the media scheme.
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Only the app's own pages may be shown; everything else (links, redirects, popups) is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}
