/// <reference lib="dom" />
// Opens generated reports in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). With CI=true a missing browser fails the tests;
// locally they skip when chromium is absent. Screenshots go to test-output/browser/.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../cli/helpers.js';

export const CHROMIUM = process.env.KNSIM_CHROMIUM ?? '/usr/bin/chromium';
export const OUT = resolve(ROOT, 'test-output/browser');
/** Run the browser tests: always in CI (a missing browser then fails), locally only when chromium is installed. */
export const BROWSER_TESTS = process.env.CI === 'true' || existsSync(CHROMIUM);

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  mkdirSync(OUT, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Opens a report file and waits until its script has drawn; returns the console errors seen. */
export async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; loadMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Offline: any request leaving the file is an error.
  await page.route(/^(?!file:)/, (route) => {
    errors.push(`network request: ${route.request().url()}`);
    return route.abort();
  });
  const started = Date.now();
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20_000 });
  return { page, errors, loadMs: Date.now() - started };
}

/** Non-background pixels of each chart's canvas (a blank canvas has none). */
export async function inkPerChart(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    document.querySelectorAll<HTMLElement>('[data-chart]').forEach((holder) => {
      const canvas = holder.querySelector('canvas');
      if (canvas === null) return;
      const ctx = canvas.getContext('2d');
      if (ctx === null) return;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      // RGBA, four bytes a pixel: every index below the length is there (`?? 0` only satisfies the index type).
      const channel = (i: number): number => data[i] ?? 0;
      for (let i = 0; i < data.length; i += 4) if (channel(i + 3) > 0 && (channel(i) < 200 || channel(i + 1) < 200 || channel(i + 2) < 200)) ink++;
      out[holder.dataset.chart ?? '?'] = ink;
    });
    return out;
  });
}
