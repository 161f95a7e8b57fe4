/**
 * The HTML report: one self-contained page (uPlot, the page's script and style, and the
 * run's data inline) that opens offline in any current browser. `renderHtmlReport` shows
 * one run with its time cursor; `renderHtmlComparison` overlays runs of the same scenario
 * under several configurations. Pure functions returning the page as a string; the same
 * result gives the same bytes.
 */
import { formatDuration } from '../../engine/index.js';
import type { RecordedResult } from '../../sim/result.js';
import { buildPageRun, DECISION_FIELDS, type PageRun } from './page-data.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_CSS } from './page-style.js';
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from './uplot-bundle.js';

/** The report of one run recorded with `record.report` (throws a one-line Error when it was not). */
export function renderHtmlReport(result: RecordedResult): string {
  return [...htmlReportChunks(result)].join('');
}

/** The report of `renderHtmlReport` in pieces, for writing it without building it as one string. */
export function* htmlReportChunks(result: RecordedResult): Generator<string> {
  const run = buildPageRun(result);
  const title = `${result.scenario} — knsim report`;
  const subtitle = `seed ${String(result.seed)} · ${formatDuration(result.durationMs)} simulated · fingerprint ${result.fingerprint} · ${result.expectations.filter((e) => e.passed).length} of ${result.expectations.length} expectations pass`;
  yield* page(title, subtitle, { mode: 'report', runs: [run], labels: [result.scenario], decisionFields: DECISION_FIELDS }, true);
}

/** Runs side by side (variants of one scenario at the same seed, or several scenarios), labelled in order. */
export function renderHtmlComparison(results: readonly RecordedResult[], labels: readonly string[]): string {
  const runs: PageRun[] = results.map((r) => buildPageRun(r));
  const title = `Comparison: ${labels.join(' vs ')} — knsim`;
  const subtitle = `${results.length} runs · seed ${[...new Set(results.map((r) => String(r.seed)))].join(', ')} · ${formatDuration(Math.max(...results.map((r) => r.durationMs)))} simulated`;
  return [...page(title, subtitle, { mode: 'compare', runs, labels: [...labels], decisionFields: DECISION_FIELDS }, false)].join('');
}

function* page(title: string, subtitle: string, data: object, cursorWorld: boolean): Generator<string> {
  const side = cursorWorld
    ? `<section aria-labelledby="world-h"><h2 id="world-h">At the cursor</h2><div id="world" class="panel world world-scroll" aria-live="polite"></div></section>
<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><div id="summary"></div></section>`
    : `<section aria-labelledby="summary-h"><h2 id="summary-h">Side by side</h2><div id="summary"></div></section>`;
  const lane = cursorWorld
    ? `<figure><figcaption>Events (hover for the narration; ←/→ step the cursor from event to event, Shift+←/→ by one second)</figcaption><canvas id="lane" role="img" aria-label="event markers over time"></canvas><div id="eventsNote" class="notice"></div></figure>`
    : '';
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="knsim">
<title>${escapeHtml(title)}</title>
<style>${UPLOT_CSS}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<main>
<div>
<div id="controls" class="controls" role="group" aria-label="filters"></div>
<div class="cursorbar"><label for="cursor">Time cursor</label><button type="button" id="prev" aria-label="previous event">◀</button><input type="range" id="cursor" min="0" max="0" step="1000" value="0"><button type="button" id="next" aria-label="next event">▶</button><output id="cursorLabel" for="cursor">00:00:00.000</output></div>
<div id="cursorEvent" class="notice" aria-live="polite"></div>
<div id="range" class="notice"></div>
<div id="charts"></div>
${lane}
</div>
<aside>
${side}
</aside>
</main>
<div id="tip" role="tooltip"></div>
<script type="application/json" id="knsim-data">`;
  for (const piece of compactJson(data, 0)) yield forScript(piece);
  yield `</script>
<script>/*! uPlot v${UPLOT_VERSION} (MIT) https://github.com/leeoniya/uPlot */
${UPLOT_JS.replace(/<\/(script)/gi, '<\\/$1')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** `JSON.stringify(value)` in pieces: objects and arrays near the top member by member, deeper ones whole. */
function* compactJson(value: unknown, depth: number): Generator<string> {
  if (value === null || typeof value !== 'object' || depth >= 4) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (const [i, item] of value.entries()) {
      if (i > 0) yield ',';
      yield* compactJson(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth + 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* compactJson(v, depth + 1);
  }
  yield '}';
}

/** JSON safe inside a script element: `<` escaped so no `</script>` or comment can end it (each character on its own, so pieces can be escaped apart). */
function forScript(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
