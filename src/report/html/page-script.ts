/**
 * The HTML report's own script (plain ES2020, no framework), run by the browser over the
 * data embedded in the page (see page-data.ts): decodes the columns lazily, draws
 * synchronised uPlot charts downsampled to the plot's width (maximum per pixel column,
 * exact samples once zoomed in far enough), event markers with their narration, and the
 * time cursor's view of the world: objects, traffic, the activator and the autoscaler's
 * last decision with its arithmetic. Also the comparison page (`knsim compare --html`).
 * Kept as a string so the page is one self-contained file; tested in headless Chromium.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
'use strict';
var DATA = JSON.parse(document.getElementById('knsim-data').textContent);
var RUNS = DATA.runs;
var COMPARE = DATA.mode === 'compare';
var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
var DIGIT = {};
for (var di = 0; di < DIGITS.length; di++) DIGIT[DIGITS[di]] = di;
var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000', '#F0E442'];
var STATUS_COLOR = { '200': '#0072B2', '404': '#777777', '500': '#D55E00', '502': '#009E73', '503': '#E69F00', '504': '#CC79A7' };
var STRING_FIELDS = ['phase', 'via'];
var DASH = { ready: [], desired: [6, 4], total: [2, 3], stable: [], panic: [6, 4], target: [2, 3], threshold: [8, 3, 2, 3] };

function $(id) { return document.getElementById(id); }
function el(tag, attrs, children) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) { if (k === 'text') e.textContent = attrs[k]; else if (k === 'cls') e.className = attrs[k]; else e.setAttribute(k, attrs[k]); }
  if (children) for (var i = 0; i < children.length; i++) if (children[i] != null) e.appendChild(typeof children[i] === 'string' ? document.createTextNode(children[i]) : children[i]);
  return e;
}
function reader(text) {
  var i = 0;
  return {
    more: function () { return i < text.length; },
    next: function () { var v = 0, mul = 1; for (;;) { var c = DIGIT[text.charAt(i++)]; if (c < 32) return v + c * mul; v += (c - 32) * mul; mul *= 32; } }
  };
}
function ints(text) { var r = reader(text), out = []; while (r.more()) out.push(r.next()); return out; }
function times(text) { var r = reader(text), out = [], t = 0; while (r.more()) { t += r.next(); out.push(t); } return out; }
/** Runs of an encoded column: values and lengths. */
function runsOf(col) {
  var r = reader(col.d), vals = [], lens = [], prev = 0;
  while (r.more()) {
    var tok = r.next(), zig = Math.floor(tok / 2), d = zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
    prev += d; vals.push(prev / col.s); lens.push(tok % 2 === 1 ? r.next() + 2 : 1);
  }
  return { vals: vals, lens: lens };
}
function expand(col, n) {
  var out = new Float64Array(n), runs = runsOf(col), k = 0;
  for (var i = 0; i < runs.vals.length; i++) { var v = runs.vals[i], end = Math.min(n, k + runs.lens[i]); for (; k < end; k++) out[k] = v; }
  return out;
}
function fmtDur(ms) {
  var neg = ms < 0; ms = Math.abs(Math.round(ms));
  if (ms < 1000) return (neg ? '-' : '') + ms + 'ms';
  var s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  var secText = (Math.round(sec * 1000) / 1000) + 's';
  return (neg ? '-' : '') + (h > 0 ? h + 'h' + m + 'm' + secText : m > 0 ? m + 'm' + secText : secText);
}
function fmtClock(ms) {
  var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60, milli = Math.round(ms % 1000);
  function p(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }
  return p(h, 2) + ':' + p(m, 2) + ':' + p(sec, 2) + '.' + p(milli, 3);
}
function fmtMs(v) { return v < 1000 ? (Math.round(v * 10) / 10) + 'ms' : (Math.round(v) / 1000) + 's'; }
function num(v) { return v == null ? '?' : String(Math.round(v * 1000) / 1000); }
function plural(n, w) { return n + ' ' + w + (n === 1 ? '' : 's'); }

/** A run's decoded state: columns are expanded on first use. */
function prepare(run, index) {
  var cache = {};
  run.index = index;
  run.col = function (rev, name) {
    var key = rev.name + '/' + name;
    if (!cache[key]) cache[key] = expand(rev.cols[name], run.steps);
    return cache[key];
  };
  run.total = function (name) {
    var key = '*/' + name;
    if (!cache[key]) {
      var out = new Float64Array(run.steps);
      run.columns.forEach(function (rev) {
        var runs = runsOf(rev.cols[name]), k = 0;
        for (var i = 0; i < runs.vals.length; i++) { var v = runs.vals[i], end = Math.min(run.steps, k + runs.lens[i]); if (v !== 0) for (var j = k; j < end; j++) out[j] += v; k = end; }
      });
      cache[key] = out;
    }
    return cache[key];
  };
  run.statusCol = function (code) { var key = 'status/' + code; if (!cache[key]) cache[key] = expand(run.status[code], run.steps); return cache[key]; };
  run.allRequests = function () {
    if (!cache.allreq) { var out = new Float64Array(run.steps); Object.keys(run.status).forEach(function (c) { var col = run.statusCol(c); for (var i = 0; i < out.length; i++) out[i] += col[i]; }); cache.allreq = out; }
    return cache.allreq;
  };
  run.lat = { p50: expand(run.latency.p50, run.latency.intervals), p99: expand(run.latency.p99, run.latency.intervals), count: expand(run.latency.count, run.latency.intervals) };
  var S = run.strings;
  var et = times(run.events.t), ec = ints(run.events.c), eo = ints(run.events.o), em = ints(run.events.m);
  run.ev = et.map(function (t, i) { return { t: t, c: S[ec[i]], o: S[eo[i]], m: S[em[i]] }; });
  var ot = times(run.objects.t), oo = ints(run.objects.o), os = ints(run.objects.s);
  var order = run.objects.table.map(function (row) { return { kind: S[row[0]], ns: S[row[1]], name: S[row[2]], owner: S[row[3]], t: [], s: [] }; });
  ot.forEach(function (t, i) { var o = order[oo[i]]; o.t.push(t); o.s.push(os[i]); });
  run.objs = order;
  var dt = times(run.decisions.t), dr = ints(run.decisions.r), dm = ints(run.decisions.m);
  var shapeOf = ints(run.decisions.shape), shapes = run.decisions.shapes;
  var values = run.decisions.f.map(function (col) { var r = runsOf(col), out = []; for (var i = 0; i < r.vals.length; i++) for (var k = 0; k < r.lens[i]; k++) out.push(r.vals[i]); return out; });
  var next = values.map(function () { return 0; });
  var rows = dt.map(function (t, i) {
    var row = DATA.decisionFields.map(function () { return null; });
    shapes[shapeOf[i]].forEach(function (fi) { var v = values[fi][next[fi]++]; row[fi] = STRING_FIELDS.indexOf(DATA.decisionFields[fi]) >= 0 ? S[v] : v; });
    return row;
  });
  run.dec = dt.map(function (t, i) { return { t: t, rev: S[dr[i]], m: S[dm[i]], v: rows[i] }; });
  run.maxT = run.durationMs;
  return run;
}
RUNS.forEach(prepare);
var FIELDS = DATA.decisionFields;
function field(d, name) { var i = FIELDS.indexOf(name); return i < 0 ? null : d.v[i]; }

// ---- view state ----------------------------------------------------------------------
var run0 = RUNS[0];
var state = { from: 0, to: run0.durationMs, cursor: 0, revisions: [], components: {}, focus: null };
(function initSelection() {
  var revs = run0.columns.slice().sort(function (a, b) {
    var ra = (run0.revisions.find(function (r) { return r.name === a.name; }) || { requests: 0 }).requests;
    var rb = (run0.revisions.find(function (r) { return r.name === b.name; }) || { requests: 0 }).requests;
    return rb - ra || (a.name < b.name ? -1 : 1);
  });
  state.revisions = revs.slice(0, 4).map(function (r) { return r.name; });
  state.focus = state.revisions[0] || null;
  run0.ev.forEach(function (e) { state.components[e.c] = true; });
})();
function selectedRevs(run) { return run.columns.filter(function (r) { return state.revisions.indexOf(r.name) >= 0; }); }

// ---- downsampling ----------------------------------------------------------------------
/** Sample indices [i0, i1) visible in the range and the bucket size giving about one point per pixel. */
function window_(run, stepMs, n, width) {
  var i0 = Math.max(0, Math.floor(state.from / stepMs) - 1), i1 = Math.min(n, Math.ceil(state.to / stepMs) + 1);
  var span = Math.max(1, i1 - i0), px = Math.max(50, Math.floor(width));
  var bucket = span <= px * 2 ? 1 : Math.ceil(span / px);
  return { i0: i0, i1: i1, bucket: bucket };
}
function xs(w, stepMs) { var out = []; for (var i = w.i0; i < w.i1; i += w.bucket) out.push((Math.min(w.i1, i + w.bucket)) * stepMs / 1000); return out; }
function ys(arr, w, f) {
  var out = [];
  for (var i = w.i0; i < w.i1; i += w.bucket) {
    var end = Math.min(w.i1, i + w.bucket), m = -Infinity;
    for (var k = i; k < end; k++) { var v = f ? f(k) : arr[k]; if (v > m) m = v; }
    out.push(m === -Infinity ? null : m);
  }
  return out;
}

// ---- charts ----------------------------------------------------------------------------
var charts = [];
var tip = null;
/** Axis ticks at round durations (1 s … 1 day), labelled compactly: 0, 50s, 2m30s, 3h. */
var TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
function fmtTick(sec) {
  if (sec === 0) return '0';
  var s = Math.round(sec * 10) / 10, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = Math.round((s % 60) * 10) / 10;
  return (h ? h + 'h' : '') + (m ? m + 'm' : '') + (r || (!h && !m) ? r + 's' : '');
}
function axisTime() { return { incrs: TICKS, values: function (u, vals) { return vals.map(fmtTick); }, space: 60 }; }
function drawOverlay(u) {
  var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
  // Bands: the focus revision's SKS Proxy (the activator in the path) and panic.
  if (!COMPARE && state.focus) {
    var rev = run0.columns.find(function (r) { return r.name === state.focus; });
    if (rev) {
      var mode = run0.col(rev, 'sksMode'), panic = run0.col(rev, 'panic'), stepMs = run0.stepMs;
      [[mode, 1, 'rgba(120,120,120,0.13)'], [panic, 1, 'rgba(213,94,0,0.22)']].forEach(function (b) {
        var arr = b[0], want = b[1];
        ctx.fillStyle = b[2];
        var i0 = Math.max(0, Math.floor(state.from / stepMs) - 1), i1 = Math.min(arr.length, Math.ceil(state.to / stepMs) + 1), start = -1;
        for (var i = i0; i <= i1; i++) {
          var on = i < i1 && arr[i] === want;
          if (on && start < 0) start = i;
          if (!on && start >= 0) {
            var x0 = u.valToPos(start * stepMs / 1000, 'x', true), x1 = u.valToPos(i * stepMs / 1000, 'x', true);
            ctx.fillRect(x0, top, Math.max(1, x1 - x0), h); start = -1;
          }
        }
      });
    }
  }
  // Expectation window being shown.
  if (state.highlight) {
    var hx0 = u.valToPos(state.highlight[0] / 1000, 'x', true), hx1 = u.valToPos(state.highlight[1] / 1000, 'x', true);
    ctx.fillStyle = 'rgba(0,114,178,0.10)'; ctx.fillRect(hx0, top, Math.max(2, hx1 - hx0), h);
  }
}
function drawCursor(u) {
  var x = u.valToPos(state.cursor / 1000, 'x', true);
  if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
  var ctx = u.ctx; ctx.save(); ctx.strokeStyle = '#000'; ctx.lineWidth = 2 * devicePixelRatio; ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke(); ctx.restore();
}
function makeChart(spec) {
  var fig = el('figure', { role: 'group', 'aria-label': spec.title + ' (a text summary is in the tables)' }, [el('figcaption', { text: spec.title })]);
  if (spec.note) fig.appendChild(el('div', { cls: 'legendnote', text: spec.note }));
  var holder = el('div', { cls: 'chart', 'data-chart': spec.id });
  fig.appendChild(holder);
  $('charts').appendChild(fig);
  var chart = { spec: spec, holder: holder, u: null };
  charts.push(chart);
  return chart;
}
function chartWidth() { return Math.max(320, $('charts').clientWidth - 4); }
function buildChart(chart) {
  var built = chart.spec.build(chartWidth());
  var opts = {
    width: chartWidth(), height: chart.spec.height || 170,
    scales: { x: { time: false, min: state.from / 1000, max: state.to / 1000 }, y: { range: function (u, min, max) { return [0, Math.max(chart.spec.minY || 1, max * 1.08)]; } } },
    axes: [axisTime(), { size: 52, values: function (u, vals) { return vals.map(function (v) { return String(Math.round(v * 100) / 100); }); } }],
    series: [{ label: 'time', value: function (u, v) { return v == null ? '' : fmtDur(v * 1000); } }].concat(built.series),
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: 'knsim' } },
    hooks: { drawClear: [drawOverlay], draw: [drawCursor], setSelect: [onSelect] }
  };
  if (chart.u) chart.u.destroy();
  chart.u = new uPlot(opts, built.data, chart.holder);
  chart.u.over.addEventListener('click', function (e) {
    if (chart.dragged) { chart.dragged = false; return; }
    setCursor(chart.u.posToVal(e.offsetX, 'x') * 1000);
  });
  chart.u.over.addEventListener('mousedown', function () { chart.dragged = false; });
}
function onSelect(u) {
  if (u.select.width < 4) return;
  var a = u.posToVal(u.select.left, 'x') * 1000, b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
  charts.forEach(function (c) { c.dragged = c.u === u; });
  u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  setRange(a, b);
}
function setRange(a, b) {
  var maxT = Math.max.apply(null, RUNS.map(function (r) { return r.durationMs; }));
  state.from = Math.max(0, Math.min(a, b)); state.to = Math.min(maxT, Math.max(a, b));
  if (state.to - state.from < 5000) { var mid = (state.from + state.to) / 2; state.from = Math.max(0, mid - 2500); state.to = Math.min(maxT, mid + 2500); }
  redrawAll();
}
function redrawAll() {
  var w = chartWidth();
  charts.forEach(function (c) {
    var built = c.spec.build(w);
    if (!c.u || c.u.series.length !== built.series.length + 1 || c.u.width !== w) { buildChart(c); return; }
    c.u.batch(function () { c.u.setData(built.data, false); c.u.setScale('x', { min: state.from / 1000, max: state.to / 1000 }); });
  });
  drawLane();
  $('range').textContent = fmtDur(state.from) + ' – ' + fmtDur(state.to) + (state.to - state.from < maxDuration() ? ' (zoomed: drag on a chart to zoom more; double-click or Reset to see all)' : ' (drag on a chart to zoom)');
}
function maxDuration() { return Math.max.apply(null, RUNS.map(function (r) { return r.durationMs; })); }

function runSeries(run, label, stroke, dash, width) { return { label: label, stroke: stroke, dash: dash, width: width || 1.5, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) }; }

function reportCharts() {
  makeChart({ id: 'requests', title: 'Requests per second, by status (responses ended in each second)', build: function (width) {
    var codes = Object.keys(run0.status).sort(), w = window_(run0, run0.stepMs, run0.steps, width);
    return { data: [xs(w, run0.stepMs)].concat(codes.map(function (c) { return ys(run0.statusCol(c), w); })),
      series: codes.map(function (c) { return runSeries(run0, String(c), STATUS_COLOR[c] || '#000', c === '200' ? [] : [5, 3]); }) };
  } });
  makeChart({ id: 'pods', title: 'Pods per revision: ready (solid), desired (dashed), all incl. starting/terminating (dotted)', note: 'Shaded: grey where the activator is in the path (SKS Proxy), orange where the KPA is in panic, for the focus revision.', build: function (width) {
    var revs = selectedRevs(run0), w = window_(run0, run0.stepMs, run0.steps, width), data = [xs(w, run0.stepMs)], series = [];
    revs.forEach(function (rev, i) {
      var color = PALETTE[i % PALETTE.length];
      data.push(ys(run0.col(rev, 'readyPods'), w)); series.push(runSeries(run0, rev.name + ' ready', color, DASH.ready, 2));
      data.push(ys(run0.col(rev, 'desiredReplicas'), w)); series.push(runSeries(run0, rev.name + ' desired', color, DASH.desired));
      data.push(ys(run0.col(rev, 'pods'), w)); series.push(runSeries(run0, rev.name + ' all', color, DASH.total));
    });
    if (run0.columns.length > revs.length) { data.push(ys(run0.total('readyPods'), w)); series.push(runSeries(run0, 'all revisions ready', '#000', [1, 2])); }
    return { data: data, series: series };
  } });
  makeChart({ id: 'concurrency', title: 'Concurrency: stable window (solid), panic window (dashed), target × ready pods (dotted), panic threshold (dash-dot)', note: 'Click a legend entry to hide that line; the axis rescales to what is left.', build: function (width) {
    var revs = selectedRevs(run0), w = window_(run0, run0.stepMs, run0.steps, width), data = [xs(w, run0.stepMs)], series = [];
    revs.forEach(function (rev, i) {
      var color = PALETTE[i % PALETTE.length], ready = run0.col(rev, 'readyPods');
      data.push(ys(run0.col(rev, 'stableConcurrency'), w)); series.push({ label: rev.name + ' stable', stroke: color, width: 2, points: { show: false } });
      data.push(ys(run0.col(rev, 'panicConcurrency'), w)); series.push({ label: rev.name + ' panic', stroke: color, dash: DASH.panic, points: { show: false } });
      data.push(ys(null, w, function (k) { return rev.target * ready[k]; })); series.push(runSeries(run0, rev.name + ' target × ready (' + num(rev.target) + ' per pod)', color, DASH.target));
      data.push(ys(null, w, function (k) { return rev.threshold * rev.target * Math.max(1, ready[k]); })); series.push(runSeries(run0, rev.name + ' panic threshold (' + num(rev.threshold) + '×)', color, DASH.threshold, 1));
    });
    return { data: data, series: series };
  } });
  makeChart({ id: 'latency', title: 'Latency per ' + fmtDur(run0.latency.intervalMs) + ' interval: p50 (solid), p99 (dashed), ms', build: function (width) {
    var L = run0.lat, w = window_(run0, run0.latency.intervalMs, run0.latency.intervals, width);
    function masked(arr) { return ys(null, w, function (k) { return L.count[k] > 0 ? arr[k] : -Infinity; }); }
    return { data: [xs(w, run0.latency.intervalMs), masked(L.p50), masked(L.p99)],
      series: [{ label: 'p50', stroke: '#0072B2', width: 2, points: { show: false } }, { label: 'p99', stroke: '#D55E00', dash: [6, 4], width: 2, points: { show: false } }] };
  } });
  makeChart({ id: 'activator', title: 'Requests waiting in the activator, per revision', height: 130, build: function (width) {
    var revs = selectedRevs(run0), w = window_(run0, run0.stepMs, run0.steps, width), data = [xs(w, run0.stepMs)], series = [];
    revs.forEach(function (rev, i) { data.push(ys(run0.col(rev, 'activatorQueue'), w)); series.push(runSeries(run0, rev.name, PALETTE[i % PALETTE.length], [], 2)); });
    return { data: data, series: series };
  } });
}

function compareCharts() {
  function total(title, id, f, dashes) {
    makeChart({ id: id, title: title, build: function (width) {
      var longest = RUNS.reduce(function (a, r) { return r.steps > a.steps ? r : a; }, RUNS[0]);
      var w = window_(longest, longest.stepMs, longest.steps, width), data = [xs(w, longest.stepMs)], series = [];
      RUNS.forEach(function (run, i) {
        var arr = f(run);
        data.push(ys(null, w, function (k) { return k < arr.length ? arr[k] : -Infinity; }));
        series.push({ label: DATA.labels[i], stroke: PALETTE[i % PALETTE.length], dash: dashes ? [[], [6, 4], [2, 3], [8, 3, 2, 3]][i % 4] : [], width: 2, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) });
      });
      return { data: data, series: series };
    } });
  }
  total('Ready pods, all revisions', 'pods', function (run) { return run.total('readyPods'); }, true);
  total('Requests per second (responses)', 'requests', function (run) { return run.allRequests(); }, true);
  total('Stable-window concurrency, all revisions', 'concurrency', function (run) { return run.total('stableConcurrency'); }, true);
  total('Requests waiting in the activator', 'activator', function (run) { return run.total('activatorQueue'); }, true);
  makeChart({ id: 'latency', title: 'Latency p99 per interval, ms', build: function (width) {
    var longest = RUNS.reduce(function (a, r) { return r.latency.intervals > a.latency.intervals ? r : a; }, RUNS[0]);
    var w = window_(longest, longest.latency.intervalMs, longest.latency.intervals, width), data = [xs(w, longest.latency.intervalMs)], series = [];
    RUNS.forEach(function (run, i) {
      data.push(ys(null, w, function (k) { return k < run.lat.p99.length && run.lat.count[k] > 0 ? run.lat.p99[k] : -Infinity; }));
      series.push({ label: DATA.labels[i], stroke: PALETTE[i % PALETTE.length], dash: [[], [6, 4], [2, 3], [8, 3, 2, 3]][i % 4], width: 2, points: { show: false } });
    });
    return { data: data, series: series };
  } });
}

// ---- events lane -----------------------------------------------------------------------
var COMPONENT_COLOR = {};
function componentColor(c) {
  if (!COMPONENT_COLOR[c]) COMPONENT_COLOR[c] = PALETTE[Object.keys(COMPONENT_COLOR).length % PALETTE.length];
  return COMPONENT_COLOR[c];
}
function eventVisible(e) {
  if (!state.components[e.c]) return false;
  if (run0.columns.length <= 1) return true;
  var touched = run0.columns.some(function (r) { return e.o.indexOf(r.name) >= 0; });
  if (!touched) return true;
  return state.revisions.some(function (name) { return e.o.indexOf(name) >= 0; });
}
function visibleEvents() { return run0.ev.filter(eventVisible); }
function laneGeometry() {
  var u = charts[0] && charts[0].u;
  var left = u ? u.bbox.left / devicePixelRatio : 50, width = u ? u.bbox.width / devicePixelRatio : chartWidth() - 60;
  return { left: left, width: width };
}
function laneX(t, g) { return g.left + ((t - state.from) / Math.max(1, state.to - state.from)) * g.width; }
function drawLane() {
  var canvas = $('lane');
  if (!canvas) return;
  var cssW = canvas.clientWidth, cssH = canvas.clientHeight;
  canvas.width = Math.round(cssW * devicePixelRatio); canvas.height = Math.round(cssH * devicePixelRatio);
  var ctx = canvas.getContext('2d'); ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  var g = laneGeometry(), comps = Object.keys(state.components), row = Math.max(4, (cssH - 6) / Math.max(1, comps.length));
  ctx.fillStyle = '#f0f0f0'; ctx.fillRect(g.left, 0, g.width, cssH);
  visibleEvents().forEach(function (e) {
    if (e.t < state.from || e.t > state.to) return;
    var x = laneX(e.t, g), r = comps.indexOf(e.c);
    ctx.fillStyle = componentColor(e.c); ctx.fillRect(Math.round(x) - 1, 3 + r * row, 2, Math.max(3, row - 1));
  });
  var cx = laneX(state.cursor, g);
  if (cx >= g.left && cx <= g.left + g.width) { ctx.fillStyle = '#000'; ctx.fillRect(cx - 1, 0, 2, cssH); }
}
function laneHover(ev) {
  var canvas = $('lane'), rect = canvas.getBoundingClientRect(), x = ev.clientX - rect.left, g = laneGeometry();
  var best = null, bestD = 6;
  visibleEvents().forEach(function (e) { if (e.t < state.from || e.t > state.to) return; var d = Math.abs(laneX(e.t, g) - x); if (d < bestD) { bestD = d; best = e; } });
  if (!best) { tip.style.display = 'none'; return; }
  var near = visibleEvents().filter(function (e) { return Math.abs(laneX(e.t, g) - laneX(best.t, g)) < 2; }).slice(0, 8);
  tip.textContent = near.map(function (e) { return fmtClock(e.t) + '  ' + e.c + '  ' + e.o + '\n  ' + e.m; }).join('\n');
  tip.style.display = 'block'; tip.style.left = Math.min(window.innerWidth - 470, ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 14) + 'px';
}

// ---- the time cursor -------------------------------------------------------------------
function setCursor(t) {
  state.cursor = Math.max(0, Math.min(maxDuration(), Math.round(t)));
  var slider = $('cursor');
  if (slider) slider.value = String(state.cursor);
  $('cursorLabel').textContent = fmtClock(state.cursor);
  charts.forEach(function (c) { if (c.u) c.u.redraw(false, false); });
  drawLane();
  if (!COMPARE) renderWorld();
}
function stepEvent(dir) {
  var evs = visibleEvents(), t = state.cursor, target = null;
  if (dir > 0) { for (var i = 0; i < evs.length; i++) if (evs[i].t > t) { target = evs[i]; break; } }
  else { for (var j = evs.length - 1; j >= 0; j--) if (evs[j].t < t) { target = evs[j]; break; } }
  if (target) { setCursor(target.t); $('cursorEvent').textContent = target.c + ' ' + target.o + ': ' + target.m; }
}
function stateAt(o, t) {
  var lo = 0, hi = o.t.length - 1, found = -1;
  while (lo <= hi) { var mid = (lo + hi) >> 1; if (o.t[mid] <= t) { found = mid; lo = mid + 1; } else hi = mid - 1; }
  if (found < 0) return null;
  var text = run0.strings[o.s[found]];
  return text === '' ? null : JSON.parse(text);
}
function badge(text) { return el('span', { cls: 'phase phase-' + text, text: text }); }
function objLine(kind, name, parts) { return el('li', null, [el('span', { cls: 'kind', text: kind }), el('strong', { text: name }), ' '].concat(parts || [])); }
function lastDecision(rev, t, pred) {
  var best = null;
  for (var i = 0; i < run0.dec.length; i++) { var d = run0.dec[i]; if (d.t > t) break; if (d.rev === rev && pred(d)) best = d; }
  return best;
}
function arithmetic(d) {
  var f = function (n) { return field(d, n); };
  var lines = [];
  if (f('observedStable') != null) {
    lines.push('stable window (' + fmtDur(f('stableWindowMs')) + '): average ' + num(f('observedStable')) + ' → ceil(' + num(f('observedStable')) + ' / ' + num(f('targetValue')) + ' per pod) = ' + plural(f('desiredStablePodCount'), 'pod'));
    lines.push('panic window (' + fmtDur(f('panicWindowMs')) + '): average ' + num(f('observedPanic')) + ' → ceil(' + num(f('observedPanic')) + ' / ' + num(f('targetValue')) + ') = ' + plural(f('desiredPanicPodCount'), 'pod') + '; ' + (f('overPanicThreshold') ? 'at or above' : 'below') + ' the panic threshold of ' + num(f('panicThreshold')) + ' × ' + plural(f('readyPodsForRates'), 'pod'));
    lines.push('rate limits with ' + f('readyPods') + ' ready: at most ' + f('maxScaleUp') + ' up, at least ' + f('maxScaleDown') + ' down → desired ' + f('desiredPodCount') + (f('inPanic') ? ' (in panic: never scales down)' : ''));
    if (f('delayedTo') != null && f('delayedTo') !== f('desiredBeforeDelay')) lines.push('scale-down delay holds ' + f('delayedTo') + ' (wants ' + f('desiredBeforeDelay') + ')');
    if (f('excessBurstCapacity') != null) lines.push('excess burst capacity ' + num(f('excessBurstCapacity')) + ': ' + (f('excessBurstCapacity') < 0 ? 'negative, so the activator stays in the path' : 'enough spare capacity, requests can go straight to the pods'));
  }
  return lines.join('\n');
}
function renderWorld() {
  var t = state.cursor, root = $('world');
  root.textContent = '';
  var alive = run0.objs.map(function (o) { return { o: o, s: stateAt(o, t) }; }).filter(function (x) { return x.s !== null; });
  function of(kind, pred) { return alive.filter(function (x) { return x.o.kind === kind && (!pred || pred(x)); }); }
  var limitRevs = run0.columns.length > 8;
  function revShown(name) { return !limitRevs || state.revisions.indexOf(name) >= 0; }
  var tree = el('ul');
  var services = of('Service'), shownServices = {};
  run0.columns.forEach(function (r) { if (revShown(r.name)) shownServices[r.service] = true; });
  function revisionItem(rx) {
    var name = rx.o.name;
    var sks = of('ServerlessService', function (x) { return x.o.name === name; })[0];
    var pa = of('PodAutoscaler', function (x) { return x.o.name === name; })[0];
    var deploy = of('Deployment', function (x) { return x.o.owner === name; })[0];
    var pods = of('Pod', function (x) { return x.o.owner === name; });
    var proxy = sks && sks.s.mode === 'Proxy';
    var readyCount = pods.filter(function (p) { return p.s.phase === 'Ready'; }).length;
    var li = objLine('Revision', name, [badge(rx.s.ready), rx.s.reason ? ' ' + rx.s.reason : '', ' · ', el('span', { cls: 'ready-pods', 'data-ready': String(readyCount), text: plural(readyCount, 'ready pod') + ' of ' + pods.length }), ' · ', el('span', { cls: 'activator', 'data-in-path': proxy ? 'yes' : 'no', text: proxy ? 'activator in the path (SKS Proxy)' : sks ? 'activator not in the path (SKS Serve)' : 'no SKS yet' })]);
    var ul = el('ul');
    if (pa) ul.appendChild(objLine('PodAutoscaler', name, ['desired ' + pa.s.desiredScale + ', actual ' + pa.s.actualScale + ', Active ', badge(pa.s.active)]));
    if (deploy) {
      var dli = objLine('Deployment', deploy.o.name, ['replicas ' + deploy.s.replicas + ', ready ' + deploy.s.readyReplicas]);
      var pul = el('ul', { cls: 'pods' });
      pods.forEach(function (p) { pul.appendChild(objLine('Pod', p.o.name, [badge(p.s.phase), p.s.node ? ' on ' + p.s.node : ''])); });
      if (pods.length === 0) pul.appendChild(el('li', { cls: 'notice', text: 'no pods' }));
      dli.appendChild(pul); ul.appendChild(dli);
    }
    var dec = lastDecision(name, t, function (d) { return field(d, 'observedStable') != null; });
    var pac = lastDecision(name, t, function (d) { return field(d, 'phase') != null; });
    var box = el('div', { cls: 'decision', 'data-revision': name });
    box.appendChild(document.createTextNode(dec ? 'autoscaler at ' + fmtDur(dec.t) + ': ' + (dec.m || 'desired ' + field(dec, 'desiredPodCount')) + '\n' + arithmetic(dec) : 'autoscaler: no decision yet'));
    if (pac && (!dec || pac.t >= dec.t - 5000)) box.appendChild(document.createTextNode('\nPodAutoscaler at ' + fmtDur(pac.t) + ': ' + (pac.m || field(pac, 'phase') + ', wants ' + field(pac, 'want'))));
    li.appendChild(ul); li.appendChild(box);
    return li;
  }
  function configurationItem(cx) {
    var li = objLine('Configuration', cx.o.name, [badge(cx.s.ready), ' latest ready ' + (cx.s.latestReady || '–')]);
    var ul = el('ul');
    of('Revision', function (x) { return x.o.owner === cx.o.name && revShown(x.o.name); }).forEach(function (rx) { ul.appendChild(revisionItem(rx)); });
    li.appendChild(ul);
    return li;
  }
  function routeItem(rx) {
    var traffic = (rx.s.traffic || []).map(function (tr) { return tr.percent + '% → ' + (tr.revision || '?') + (tr.tag ? ' (tag ' + tr.tag + ')' : '') + (tr.latest ? ' (latest)' : ''); }).join(', ');
    return objLine('Route', rx.o.name, [badge(rx.s.ready), ' traffic: ', el('span', { cls: 'traffic', text: traffic || 'none' })]);
  }
  services.forEach(function (sx) {
    if (limitRevs && !shownServices[sx.o.name]) return;
    var li = objLine('Service', sx.o.name, [badge(sx.s.ready), sx.s.reason ? ' ' + sx.s.reason : '', sx.s.url ? ' ' + sx.s.url : '']);
    var ul = el('ul');
    of('Route', function (x) { return x.o.owner === sx.o.name; }).forEach(function (rx) { ul.appendChild(routeItem(rx)); });
    of('Configuration', function (x) { return x.o.owner === sx.o.name; }).forEach(function (cx) { ul.appendChild(configurationItem(cx)); });
    li.appendChild(ul); tree.appendChild(li);
  });
  of('Configuration', function (x) { return x.o.owner === ''; }).forEach(function (cx) { tree.appendChild(configurationItem(cx)); });
  of('Route', function (x) { return x.o.owner === ''; }).forEach(function (rx) { tree.appendChild(routeItem(rx)); });
  if (!tree.firstChild) tree.appendChild(el('li', { cls: 'notice', text: 'nothing deployed yet at ' + fmtDur(t) }));
  root.appendChild(el('p', { cls: 'notice', text: 'The world at ' + fmtClock(t) + (limitRevs ? ' (selected revisions only)' : '') + ':' }));
  root.appendChild(tree);
}

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

// ---- controls --------------------------------------------------------------------------
function controls() {
  var box = $('controls');
  if (!COMPARE) {
    var revs = el('fieldset', null, [el('legend', { text: 'Revisions' })]);
    run0.columns.forEach(function (r) {
      var id = 'rev-' + r.name, cb = el('input', { type: 'checkbox', id: id, value: r.name });
      cb.checked = state.revisions.indexOf(r.name) >= 0;
      cb.addEventListener('change', function () {
        state.revisions = run0.columns.filter(function (x) { var c = $('rev-' + x.name); return c && c.checked; }).map(function (x) { return x.name; });
        if (state.revisions.indexOf(state.focus) < 0) state.focus = state.revisions[0] || null;
        fillFocus(); charts.forEach(function (c) { buildChart(c); }); drawLane(); renderWorld();
      });
      revs.appendChild(el('label', null, [cb, ' ' + r.name]));
    });
    box.appendChild(revs);
    var focus = el('select', { id: 'focus', 'aria-label': 'revision whose SKS mode and panic are shaded' });
    focus.addEventListener('change', function () { state.focus = focus.value; redrawAll(); });
    box.appendChild(el('label', null, ['Bands for ', focus]));
    var comps = el('fieldset', null, [el('legend', { text: 'Events' })]);
    Object.keys(state.components).forEach(function (c) {
      var cb = el('input', { type: 'checkbox', id: 'comp-' + c });
      cb.checked = true;
      cb.addEventListener('change', function () { state.components[c] = cb.checked; drawLane(); });
      var sw = el('span', { cls: 'swatch' }); sw.style.background = componentColor(c);
      comps.appendChild(el('label', null, [cb, sw, c]));
    });
    box.appendChild(comps);
  }
  var reset = el('button', { type: 'button', id: 'reset', text: 'Reset zoom' });
  reset.addEventListener('click', function () { state.highlight = null; setRange(0, maxDuration()); });
  box.appendChild(reset);
}
function fillFocus() {
  var focus = $('focus'); if (!focus) return;
  focus.textContent = '';
  state.revisions.forEach(function (name) { var o = el('option', { value: name, text: name }); if (name === state.focus) o.selected = true; focus.appendChild(o); });
}

function start() {
  tip = $('tip');
  controls(); fillFocus();
  if (COMPARE) { compareCharts(); renderCompareTable(); } else { reportCharts(); renderSummary(run0); }
  charts.forEach(buildChart);
  var slider = $('cursor');
  slider.max = String(maxDuration());
  slider.addEventListener('input', function () { setCursor(Number(slider.value)); });
  $('prev').addEventListener('click', function () { stepEvent(-1); });
  $('next').addEventListener('click', function () { stepEvent(1); });
  document.addEventListener('keydown', function (e) {
    if (e.target && (e.target.tagName === 'INPUT' && e.target.type !== 'range' || e.target.tagName === 'SELECT')) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      var dir = e.key === 'ArrowRight' ? 1 : -1;
      if (e.shiftKey) setCursor(state.cursor + dir * 1000); else stepEvent(dir);
    } else if (e.key === 'Home') { e.preventDefault(); setCursor(0); } else if (e.key === 'End') { e.preventDefault(); setCursor(maxDuration()); }
  });
  var lane = $('lane');
  if (lane) {
    lane.addEventListener('mousemove', laneHover);
    lane.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
    lane.addEventListener('click', function (ev) { var g = laneGeometry(), r = lane.getBoundingClientRect(); setCursor(state.from + ((ev.clientX - r.left - g.left) / g.width) * (state.to - state.from)); });
  }
  charts.forEach(function (c) { c.u.root.addEventListener('dblclick', function () { state.highlight = null; setRange(0, maxDuration()); }); });
  var resizePending = false;
  window.addEventListener('resize', function () { if (resizePending) return; resizePending = true; requestAnimationFrame(function () { resizePending = false; redrawAll(); }); });
  redrawAll();
  setCursor(0);
  if (!COMPARE && run0.events.total > run0.events.shown) $('eventsNote').textContent = 'Showing ' + run0.events.shown + ' of ' + run0.events.total + ' events: the notable ones first (knsim run --log prints all).';
  window.knsim = { setCursor: setCursor, setRange: setRange, stepEvent: stepEvent, state: state, runs: RUNS };
  document.body.setAttribute('data-ready', 'true');
}
start();
})();
`;
