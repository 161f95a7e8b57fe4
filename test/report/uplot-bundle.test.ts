// The committed uPlot bundle is derived from node_modules/uplot: it must match the
// installed version byte for byte (after a version bump: npm run bundle:uplot).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('src/report/html/uplot-bundle.ts', () => {
  it('is in sync with the installed uplot package (else run: npm run bundle:uplot)', async () => {
    const { uplotBundleSource } = await import('../../scripts/bundle-uplot.mjs');
    expect(readFileSync(resolve(ROOT, 'src/report/html/uplot-bundle.ts'), 'utf8')).toBe(uplotBundleSource(ROOT));
  });
});
