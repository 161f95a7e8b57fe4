/// <reference lib="dom" />
// The report of the benchmark's 100-function Azure day (100 Knative Services, a day of
// the trace) opens and stays responsive: time to first render under 3 s in headless
// Chromium, and a zoom redraws at once. The day is simulated in its own process (~1.5 min).
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ROOT } from '../cli/helpers.js';
import { BROWSER_TESTS, inkPerChart, launch, open, OUT } from './browser.js';

describe.runIf(BROWSER_TESTS)('the report of the 100-function Azure day', () => {
  let browser: Browser;
  const file = join(OUT, 'azure-100-day.html');

  beforeAll(async () => {
    browser = await launch();
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, [resolve(ROOT, 'scripts/big-report.mjs'), file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', fail);
      child.on('close', done);
    });
    expect(code).toBe(0);
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders in under 3 s and redraws a zoom at once', async () => {
    const { page, errors, loadMs } = await open(browser, file);
    console.log(`azure-100-day report: ${(statSync(file).size / 1e6).toFixed(1)} MB, page ready after ${loadMs} ms`);
    expect(loadMs).toBeLessThan(3000);
    const ink = await inkPerChart(page);
    for (const [chart, pixels] of Object.entries(ink)) expect(pixels, chart).toBeGreaterThan(200);
    const zoomMs = await page.evaluate(() => {
      const k = (window as unknown as { knsim: { setRange: (a: number, b: number) => void; setCursor: (t: number) => void } }).knsim;
      const t0 = performance.now();
      k.setRange(3_600_000, 7_200_000);
      k.setCursor(5_400_000);
      return performance.now() - t0;
    });
    expect(zoomMs).toBeLessThan(1000);
    await page.screenshot({ path: join(OUT, 'azure-100-day.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
