import { defineConfig } from 'vitest/config';

// Integration tests share one virtual courtroom (PulseAudio, sinks) and two cores:
// run files one at a time so capture timing is not disturbed by a parallel test.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
