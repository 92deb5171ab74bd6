import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeClip } from './clips.ts';
import { testVideo } from './paths.ts';

/** Files every media-reading feature must refuse (or handle) with a clear message. */
export async function badInputs() {
  const dir = path.join(os.tmpdir(), 'v2m-bad-inputs');
  mkdirSync(dir, { recursive: true });
  const empty = path.join(dir, 'empty.mp4');
  writeFileSync(empty, '');
  const text = path.join(dir, 'notes.mp4');
  writeFileSync(text, 'This is a shopping list, not a video.\n'.repeat(20));
  const truncated = path.join(dir, 'truncated-half.mp4');
  const whole = readFileSync(testVideo);
  writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  const audioOnly = await makeClip('audio-only.m4a', [
    '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=2', '-c:a', 'aac',
  ]);
  const unicodeDir = path.join(dir, 'folder with spaces');
  mkdirSync(unicodeDir, { recursive: true });
  const unicode = path.join(unicodeDir, 'vidéo ñ 日本 (final) #2.mp4');
  copyFileSync(testVideo, unicode);
  return { dir, missing: path.join(dir, 'does-not-exist.mp4'), empty, text, truncated, audioOnly, unicode };
}
