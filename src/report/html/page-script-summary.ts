/**
 * The report page's script, part 4 of 5 (page-script.ts joins them into one function scope):
 * the tables under the charts — requests and latency, per revision, expectations (Show zooms
 * to the window checked), cold starts with their phases as bars — and the comparison page's
 * deciding figures per variant.
 * Reads the helpers of part 1; zooms and moves the cursor through parts 2 and 3.
 */
export const SUMMARY_SCRIPT = String.raw`
// ---- summary ---------------------------------------------------------------------------
function table(caption, head, rows, numeric) {
  var t = el('table'), tr = el('tr');
  t.appendChild(el('caption', { text: caption }));
  head.forEach(function (h, i) { tr.appendChild(el('th', { scope: 'col', cls: numeric && numeric[i] ? 'num' : '', text: h })); });
  t.appendChild(el('thead', null, [tr]));
  var body = el('tbody');
  rows.forEach(function (r) {
    var row = el('tr');
    r.forEach(function (c, i) { var td = el('td', { cls: numeric && numeric[i] ? 'num' : '' }); if (c instanceof Node) td.appendChild(c); else td.textContent = String(c); row.appendChild(td); });
    body.appendChild(row);
  });
  t.appendChild(body);
  return t;
}
function startBar(s) {
  var total = Math.max(1, s[4] + s[5] + s[6] + s[7]), bar = el('div', { cls: 'bar', role: 'img', 'aria-label': 'scheduling ' + fmtMs(s[4]) + ', pull ' + fmtMs(s[5]) + ', start ' + fmtMs(s[6]) + ', readiness ' + fmtMs(s[7]) });
  [[s[4], '#56B4E9', 'scheduling'], [s[5], '#E69F00', 'image pull'], [s[6], '#009E73', 'sandbox and container start'], [s[7], '#CC79A7', 'readiness (app start-up, probe)']].forEach(function (p) {
    var span = el('span', { title: p[2] + ' ' + fmtMs(p[0]) }); span.style.width = (100 * p[0] / total) + '%'; span.style.background = p[1]; bar.appendChild(span);
  });
  bar.title = 'cold start of ' + s[0] + ': ' + fmtMs(s[3] - s[2]) + ' = scheduling ' + fmtMs(s[4]) + ' + image pull ' + fmtMs(s[5]) + ' + start ' + fmtMs(s[6]) + ' + readiness ' + fmtMs(s[7]);
  return bar;
}
function showWindow(from, to) {
  var pad = Math.max(5000, (to - from) * 0.15);
  state.highlight = [from, Math.max(to, from + 500)];
  setRange(from - pad, to + pad);
  setCursor(to);
}
function renderSummary(run) {
  var root = $('summary'), s = run.summary, r = s.requests;
  root.appendChild(table('Requests and latency', ['figure', 'value'], [
    ['requests', r.total], ['succeeded', r.succeeded], ['failed', r.failed], ['in flight at the end', r.inFlight],
    ['by status', Object.keys(r.byStatus).map(function (k) { return k + ': ' + r.byStatus[k]; }).join(', ') || '–'],
    ['latency p50 / p95 / p99 / max', fmtMs(s.latencyMs.p50) + ' / ' + fmtMs(s.latencyMs.p95) + ' / ' + fmtMs(s.latencyMs.p99) + ' / ' + fmtMs(s.latencyMs.max)],
    ['cold starts (requests that waited for a pod)', s.coldStarts], ['pod-seconds', s.podSeconds.toFixed(1)]
  ], [false, true]));
  var starts = run.podStarts.list;
  var perRevision = el('div', { cls: run.revisionStats.length > 12 ? 'scroll' : 'hscroll', tabindex: '0', role: 'region', 'aria-label': 'per revision' });
  root.appendChild(perRevision);
  perRevision.appendChild(table('Per revision', ['revision', 'requests', 'share', 'max ready', 'cold starts', 'pod starts', 'pod-seconds', 'p99'], run.revisionStats.map(function (st) {
    var rev = run.revisions.find(function (x) { return x.name === st.name; }) || { requests: 0, trafficShare: 0, maxReadyPods: 0 };
    var mine = starts.filter(function (x) { return x[1] === st.name; });
    var cell = el('span', { text: String(st.podStarts), tabindex: '0', title: mine.slice(0, 20).map(function (x) { return x[0] + ' at ' + fmtDur(x[2]) + ': scheduling ' + fmtMs(x[4]) + ', pull ' + fmtMs(x[5]) + ', start ' + fmtMs(x[6]) + ', readiness ' + fmtMs(x[7]); }).join('\n') || 'no pod started' });
    return [st.name, rev.requests, (rev.trafficShare * 100).toFixed(1) + '%', rev.maxReadyPods, st.coldStarts, cell, st.podSeconds.toFixed(1), fmtMs(st.latencyMs.p99)];
  }), [false, true, true, true, true, true, true, true]));
  if (run.expectations.length > 0) {
    root.appendChild(table('Expectations (Show zooms the charts to the window checked)', ['', 'expectation', 'actual', ''], run.expectations.map(function (e) {
      var btn = el('button', { type: 'button', text: 'Show', 'aria-label': 'show the window of: ' + e.description });
      btn.addEventListener('click', function () { showWindow(e.fromMs || 0, e.toMs || 0); });
      return [el('span', { cls: e.passed ? 'pass' : 'fail', text: e.passed ? 'PASS' : 'FAIL' }), e.description + (e.passed ? '' : ' (expected ' + e.expected + ')'), e.actual, btn];
    })));
  }
  if (starts.length > 0) {
    var shown = starts.slice(0, 200);
    var scroll = el('div', { cls: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'cold starts' });
    root.appendChild(scroll);
    scroll.appendChild(table('Cold starts: each pod from creation to Ready (hover a bar for its phases)', ['pod', 'at', 'from zero', 'total', 'scheduling · pull · start · readiness'], shown.map(function (x) {
      var at = el('button', { type: 'button', text: fmtDur(x[2]), 'aria-label': 'move the cursor to ' + fmtDur(x[3]) });
      at.addEventListener('click', function () { setCursor(x[3]); });
      return [x[0], at, x[8] ? 'yes' : 'no', fmtMs(x[3] - x[2]), startBar(x)];
    }), [false, false, false, true, false]));
    if (run.podStarts.total > shown.length) root.appendChild(el('p', { cls: 'notice', text: (run.podStarts.total - shown.length) + ' more pod starts are in the JSON result (podStarts).' }));
  }
}
function renderCompareTable() {
  var root = $('summary');
  root.appendChild(table('Deciding figures, same seed', ['variant', 'cold starts', 'pod-seconds', 'p99', '5xx', 'max ready pods', 'expectations'], RUNS.map(function (run, i) {
    var s = run.summary, fivexx = 0;
    Object.keys(s.requests.byStatus).forEach(function (k) { if (k.charAt(0) === '5') fivexx += s.requests.byStatus[k]; });
    var maxPods = 0, tot = run.total('readyPods'); for (var k = 0; k < tot.length; k++) if (tot[k] > maxPods) maxPods = tot[k];
    var passed = run.expectations.filter(function (e) { return e.passed; }).length;
    var name = el('span', null, [el('span', { cls: 'swatch' }), DATA.labels[i]]);
    name.firstChild.style.background = PALETTE[i % PALETTE.length];
    return [name, s.coldStarts, s.podSeconds.toFixed(1), fmtMs(s.latencyMs.p99), fivexx, maxPods, passed + ' of ' + run.expectations.length + ' pass'];
  }), [false, true, true, true, true, true, false]));
  RUNS.forEach(function (run, i) {
    if (run.expectations.length === 0) return;
    root.appendChild(table(DATA.labels[i] + ': expectations', ['', 'expectation', 'actual'], run.expectations.map(function (e) { return [el('span', { cls: e.passed ? 'pass' : 'fail', text: e.passed ? 'PASS' : 'FAIL' }), e.description, e.actual]; })));
  });
}
`;
