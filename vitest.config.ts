import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Two projects: the Node suites as before, and the renderer's unit tests in jsdom (no build, no browser).
export default defineConfig({
  plugins: [react()],
  test: {
    // Suites that run the built CLI as a process get a current build first (built once when missing or stale).
    globalSetup: ['src-main/reliability/cli-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'sim/**/*.test.ts', 'scripts/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'renderer', include: ['src-renderer/**/*.test.{ts,tsx}'], environment: 'jsdom', setupFiles: ['src-renderer/test-setup.testkit.ts'] },
      },
    ],
  },
});
