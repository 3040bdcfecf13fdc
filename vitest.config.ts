import { defineConfig } from 'vitest/config';

// Integration tests share one virtual courtroom (PulseAudio, sinks) and two cores:
// run files one at a time so capture timing is not disturbed by a parallel test.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the UI the engine serves is built from this tree first, so the browser tests never run an old bundle
    globalSetup: ['test/build-ui.setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
