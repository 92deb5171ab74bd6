import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Media tests spawn ffmpeg; two cores here, so keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/no-leaked-processes.ts'],
  },
});
