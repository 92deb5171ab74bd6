// Where the app is, in the URL hash, so a reload lands in the same editor.

export type Screen = { name: 'start' } | { name: 'editor'; projectId: string; clipId: string };

export function screenFromHash(hash: string): Screen {
  const m = /^#\/project\/([A-Za-z0-9_-]+)\/clip\/([A-Za-z0-9_-]+)$/.exec(hash);
  return m ? { name: 'editor', projectId: m[1]!, clipId: m[2]! } : { name: 'start' };
}

export function hashFor(screen: Screen): string {
  return screen.name === 'editor' ? `#/project/${screen.projectId}/clip/${screen.clipId}` : '#/';
}
