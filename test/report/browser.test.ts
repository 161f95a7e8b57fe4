/// <reference lib="dom" />
// The HTML reports in a real browser, checked as a person would: the page opens offline
// with no console error, every chart drew, the time cursor at the scale-to-zero moment of
// 02-scale-to-zero shows zero ready pods, the activator in the path and "desired 0", the
// keyboard steps from event to event, and a comparison shows every variant.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { knsimAsync, ROOT } from '../cli/helpers.js';
import { BROWSER_TESTS, inkPerChart, launch, open, OUT } from './browser.js';

const TUNING = 'scenarios/08-tuning.yaml';
const WINDOW = 'timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/window"';
const DELAY = 'timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/scale-down-delay"';

describe.runIf(BROWSER_TESTS)('HTML reports in headless Chromium', () => {
  let browser: Browser;
  const report = join(OUT, '02-scale-to-zero.html');
  const saved = join(OUT, '02-scale-to-zero.json');
  const fromSaved = join(OUT, '02-from-json.html');
  const compare = join(OUT, '08-tuning-compare.html');

  beforeAll(async () => {
    const [b, run, json, cmp] = await Promise.all([
      launch(),
      knsimAsync(['run', 'scenarios/02-scale-to-zero.yaml', '--html', report, '--quiet']),
      knsimAsync(['run', 'scenarios/02-scale-to-zero.yaml', '--json']),
      knsimAsync(['compare', TUNING, '--variant', 'baseline', '--variant', `short-window:${WINDOW}=20s`, '--variant', `delay:${DELAY}=3m`, '--html', compare]),
    ]);
    browser = b;
    expect(run.code, run.stderr).toBe(0);
    expect(cmp.code, cmp.stderr).toBe(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(saved, json.stdout);
    const rep = await knsimAsync(['report', saved, '--html', fromSaved]);
    expect(rep.code, rep.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('02-scale-to-zero: opens offline, no console errors, every chart drew', async () => {
    const { page, errors } = await open(browser, report);
    const ink = await inkPerChart(page);
    expect(Object.keys(ink).sort()).toEqual(['activator', 'concurrency', 'latency', 'pods', 'requests']);
    for (const [chart, pixels] of Object.entries(ink)) expect(pixels, chart).toBeGreaterThan(500);
    expect(await page.locator('#summary table').first().textContent()).toContain('2037');
    await page.screenshot({ path: join(OUT, '02-scale-to-zero.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('02-scale-to-zero: the cursor at the scale-to-zero moment shows zero ready pods, the activator in the path and "desired 0"', async () => {
    const { page, errors } = await open(browser, report);
    // The moment: the first second after the morning traffic with no ready pod.
    const zeroMs = await page.evaluate(() => {
      const w = window as unknown as { knsim: { runs: { columns: { name: string }[]; col: (r: unknown, n: string) => Float64Array; stepMs: number }[] } };
      const run = w.knsim.runs[0];
      const revision = run?.columns[0];
      if (run === undefined || revision === undefined) throw new Error('the page has no run with a revision');
      const ready = run.col(revision, 'readyPods');
      let k = ready.findIndex((v) => v > 0);
      while ((ready[k] ?? 0) > 0) k++; // past the end: stop
      return (k + 1) * run.stepMs;
    });
    expect(zeroMs).toBeGreaterThan(200_000);
    expect(zeroMs).toBeLessThan(220_000);
    // Drag the cursor there as a person would: the slider, then fine steps with Shift+arrow.
    const slider = page.locator('#cursor');
    await slider.focus();
    await slider.fill(String(zeroMs));
    await slider.dispatchEvent('input');
    const world = page.locator('#world');
    await expect.poll(() => world.locator('.ready-pods').first().getAttribute('data-ready')).toBe('0');
    expect(await world.locator('.activator').first().getAttribute('data-in-path')).toBe('yes');
    const decision = (await world.locator('.decision').first().textContent()) ?? '';
    expect(decision).toMatch(/desired 0/);
    expect(decision).toMatch(/stable window \(1m0s\): average 0 → ceil\(0 \/ 70 per pod\) = 0 pods/);
    expect(await world.textContent()).toMatch(/100% → sunshine-00001/);
    await page.screenshot({ path: join(OUT, '02-scale-to-zero-cursor.png'), fullPage: true });
    // The keyboard steps event by event.
    const before = await page.evaluate(() => (window as unknown as { knsim: { state: { cursor: number } } }).knsim.state.cursor);
    await page.locator('body').press('ArrowRight');
    const after = await page.evaluate(() => (window as unknown as { knsim: { state: { cursor: number } } }).knsim.state.cursor);
    expect(after).toBeGreaterThan(before);
    expect(await page.locator('#cursorEvent').textContent()).not.toBe('');
    await page.locator('body').press('ArrowLeft');
    expect(await page.evaluate(() => (window as unknown as { knsim: { state: { cursor: number } } }).knsim.state.cursor)).toBeLessThan(after);
    // An expectation's Show zooms to its window.
    await page.getByRole('button', { name: /show the window of: scaled to zero/ }).click();
    const range = await page.evaluate(() => (window as unknown as { knsim: { state: { from: number; to: number } } }).knsim.state);
    expect(range.from).toBeGreaterThan(150_000);
    expect(range.to).toBeLessThan(330_000);
    await page.screenshot({ path: join(OUT, '02-scale-to-zero-expectation-window.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('knsim report turns a saved --json into the same page', async () => {
    const a = readFileSync(report, 'utf8');
    const b = readFileSync(fromSaved, 'utf8');
    expect(b).toBe(a);
    const { page, errors } = await open(browser, fromSaved);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('08-tuning comparison: both variants and more side by side, every chart drew', async () => {
    const { page, errors } = await open(browser, compare);
    const ink = await inkPerChart(page);
    expect(Object.keys(ink)).toHaveLength(5);
    for (const [chart, pixels] of Object.entries(ink)) expect(pixels, chart).toBeGreaterThan(500);
    const figures = (await page.locator('#summary table').first().textContent()) ?? '';
    for (const name of ['baseline', 'short-window', 'delay']) expect(figures).toContain(name);
    expect(await page.locator('.u-legend').first().textContent()).toMatch(/baseline.*short-window.*delay/s);
    await page.screenshot({ path: join(OUT, '08-tuning-compare.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the reports of the short shipped scenarios small', () => {
    expect(statSync(report).size).toBeLessThan(1_000_000);
    expect(statSync(compare).size).toBeLessThan(1_000_000);
    expect(resolve(ROOT)).toBe(ROOT);
  });
});
