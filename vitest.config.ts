import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tiers: `unit` (modules, properties, whole worlds in process: seconds), `e2e` (the built
// CLI as a user runs it, the pinned fingerprints of every shipped scenario, the HTML
// reports in headless Chromium, and the README's examples against the built package) and `big-report` (below).
// `npm test` runs unit and e2e; `npm run test:unit` and `npm run test:e2e` run one.
const E2E = ['test/cli/**/*.test.ts', 'test/pins/**/*.test.ts', 'test/report/browser.test.ts', 'test/readme/**/*.test.ts'];
// The report of the 100-function Azure day takes about a minute to simulate: its own tier,
// `npm run test:big-report`, which .ci/run runs after `npm test`.
const BIG = ['test/report/browser-big.test.ts'];

export default defineConfig({
  // Tests and the README's examples import the package by its name, as users do; here it resolves to the sources.
  resolve: {
    alias: [
      { find: /^knsim\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^knsim$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'threads',
    // One worker per core: vitest's default keeps one core free (cores − 1), which on a 2-core
    // machine runs the suite in a single worker; the CLI tests' child processes wait on I/O
    // often enough that a second worker shortens the suite by about a quarter.
    maxWorkers: availableParallelism(),
    // One module graph per worker, not per test file: the suite's files import the same
    // simulator, and loading it afresh for each of some 125 files cost about 80 s of the
    // unit tier's 200 s of CPU. No test keeps state in a module (no vi.mock, no module-level
    // setter but the freeze below, which every file sets alike).
    isolate: false,
    // Stored objects frozen in every test (a debugging aid that production runs leave off).
    setupFiles: ['test/setup-freeze.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...E2E, ...BIG] } },
      { extends: true, test: { name: 'e2e', include: E2E } },
      { extends: true, test: { name: 'big-report', include: BIG } },
    ],
  },
});
