import { afterEach, expect } from 'vitest';
import { liveMediaProcessCount } from '../../electron/core/media/process.ts';
import { childMediaProcesses } from './processes.ts';

// Every test in the suite must leave no ffmpeg/ffprobe behind, whatever path it took.
afterEach(async () => {
  // A killed child needs a moment to be reaped by the OS after its 'close' event.
  for (let i = 0; i < 50 && (liveMediaProcessCount() > 0 || childMediaProcesses().length > 0); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(liveMediaProcessCount(), 'ffmpeg/ffprobe children still tracked as running').toBe(0);
  expect(childMediaProcesses(), 'ffmpeg/ffprobe child processes still alive').toEqual([]);
});
