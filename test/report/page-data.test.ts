// The HTML page's data codec: run-length columns round-trip exactly, small and repeated
// values cost a character, and the page data of a recorded run carries what the page needs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Script } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPageRun, decodeRuns, encodeRuns, MAX_PAGE_EVENTS } from '../../src/report/html/page-data.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { PAGE_SCRIPT } from '../../src/report/html/page-script.js';
import { loadScenarioText, runScenario } from '../../src/sim/index.js';
import { must } from '../../src/engine/assert.js';

const ROOT = resolve(import.meta.dirname, '../..');

function runs02() {
  const path = 'scenarios/02-scale-to-zero.yaml';
  const { scenario } = loadScenarioText(readFileSync(resolve(ROOT, path), 'utf8'), { file: path, readFile: (p) => readFileSync(resolve(ROOT, p), 'utf8') });
  return runScenario(must(scenario, '02-scale-to-zero loads'), { record: { report: true } });
}

describe('encodeRuns / decodeRuns', () => {
  it('round-trips runs of values with up to 3 decimals, negative ones too', () => {
    const value = fc.integer({ min: -5_000_000, max: 5_000_000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 1, max: 100_000 })), { maxLength: 200 }), (pairs) => {
        const runs = pairs.flat();
        expect(decodeRuns(encodeRuns(runs, 1000), 1000)).toEqual(runs);
      }),
    );
  });

  it('spends one character on a small change and two on a long run of zeros', () => {
    expect(encodeRuns([0, 86_400], 1)).toHaveLength(5);
    expect(encodeRuns([1, 1, 2, 1, 1, 1], 1)).toHaveLength(3);
    expect(encodeRuns([0, 3, 2, 1], 1)).toBe('BBI');
  });
});

describe('PAGE_SCRIPT', () => {
  it('is valid JavaScript (the browser tests run it)', () => {
    expect(() => new Script(PAGE_SCRIPT)).not.toThrow(); // compiled, not run
  });
});

describe('buildPageRun', () => {
  it('needs a result recorded for the report, and says so in one line', () => {
    const r = runs02();
    const { timeline: _t, ...plain } = r;
    expect(() => buildPageRun(plain)).toThrow(/has no timeline: run it with --html/);
  });

  it('keeps every event of a short run, each column, and the decisions', () => {
    const r = runs02();
    const page = buildPageRun(r);
    expect(page.events.shown).toBe(Math.min(r.events.length, MAX_PAGE_EVENTS));
    expect(page.columns.map((c) => c.name)).toEqual(['sunshine-00001']);
    const cols = must(page.columns[0], 'the page has a column set').cols;
    const recorded = must(r.timeline?.revisions[0], 'the run recorded a timeline of its revision');
    expect(decodeRuns(must(cols.readyPods, 'a readyPods column').d, 1)).toEqual(recorded.readyPods);
    expect(decodeRuns(must(cols.stableConcurrency, 'a stableConcurrency column').d, 1000)).toEqual(recorded.stableConcurrency);
    expect(page.decisions.total).toBe(r.decisions?.length);
  });

  it('renders the same page for the same result, with no closing script tag inside the data', () => {
    const r = runs02();
    const a = renderHtmlReport(r);
    expect(renderHtmlReport(runs02())).toBe(a);
    expect(a.startsWith('<!DOCTYPE html>')).toBe(true);
    const data = a.slice(a.indexOf('id="knsim-data">'), a.indexOf('</script>', a.indexOf('id="knsim-data">')));
    expect(data).not.toContain('<');
    expect(a).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(https?:|@import/); // nothing loaded from elsewhere
    expect(a.length).toBeLessThan(1_000_000);
  });
});

describe('PAGE_SCRIPT under lint', () => {
  it('has no undefined or unused names and nothing ESLint recommends against', async () => {
    const { Linter } = await import('eslint');
    const js = (await import('@eslint/js')).default;
    const browser = [
      'document',
      'window',
      'uPlot',
      'devicePixelRatio',
      'requestAnimationFrame',
      'Node',
      'Float64Array',
      'JSON',
      'Math',
      'Object',
      'String',
      'Number',
      'Infinity',
      'performance',
    ];
    const messages = new Linter().verify(PAGE_SCRIPT, {
      languageOptions: { ecmaVersion: 2020, sourceType: 'script', globals: Object.fromEntries(browser.map((g) => [g, 'readonly'])) },
      rules: { ...js.configs.recommended.rules, 'no-unused-vars': ['error', { args: 'none' }] },
    });
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)).toEqual([]);
  });
});
