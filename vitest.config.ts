import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (modules, properties, whole worlds in process: seconds) and `e2e` (the
// built CLI as a user runs it, and the pinned fingerprints of every shipped scenario).
// The browser tests (test/report/browser*) open reports in headless Chromium.
// `npm test` runs both; `npm run test:unit` and `npm run test:e2e` run one.
const E2E = ['test/cli/**/*.test.ts', 'test/pins/**/*.test.ts', 'test/report/browser*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'threads',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
